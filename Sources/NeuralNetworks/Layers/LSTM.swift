/// A one-layer LSTM over batch-first sequences: PyTorch's `nn.LSTM(input, hidden, batch_first=True)`,
/// with the same parameter names, layouts and gate order (i, f, g, o), so a checkpoint maps
/// one-to-one onto the PyTorch model.
///
/// For each step t, with x_t the input and (h_{t-1}, c_{t-1}) the state (zeros at the start unless
/// an initial state is given):
///   gates = x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh, split into four blocks of H: i, f, g, o
///   i = sigmoid(i), f = sigmoid(f), g = tanh(g), o = sigmoid(o)
///   c_t = f * c_{t-1} + i * g
///   h_t = o * tanh(c_t)
///
/// Parameters: `weight_ih_l0` [4H, I], `weight_hh_l0` [4H, H], `bias_ih_l0` [4H], `bias_hh_l0` [4H],
/// all initialized uniform in [-1/sqrt(H), 1/sqrt(H)] as in PyTorch.
///
/// The whole sequence runs as one fused engine op (`Tensor.lstm`) with a hand-written
/// back-propagation through time.
public final class LSTM: Module {
  /// [4H, I]: the input-to-gates weights W_ii, W_if, W_ig, W_io stacked (`weight_ih_l0`).
  public let weightIH: Tensor
  /// [4H, H]: the hidden-to-gates weights W_hi, W_hf, W_hg, W_ho stacked (`weight_hh_l0`).
  public let weightHH: Tensor
  /// [4H] (`bias_ih_l0`), nil for a layer without biases.
  public let biasIH: Tensor?
  /// [4H] (`bias_hh_l0`), nil for a layer without biases.
  public let biasHH: Tensor?

  /// I, the features of each input step.
  public var inputSize: Int { weightIH.shape[1] }
  /// H, the size of the hidden and cell states.
  public var hiddenSize: Int { weightHH.shape[1] }

  /// PyTorch's default initialization: every parameter uniform in [-1/sqrt(H), 1/sqrt(H)],
  /// drawn in the order weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0.
  public init(_ inputSize: Int, _ hiddenSize: Int, bias: Bool = true, using generator: inout SeededGenerator) {
    if inputSize <= 0 || hiddenSize <= 0 {
      tensorFailure("LSTM: sizes must be positive, got inputSize \(inputSize), hiddenSize \(hiddenSize)")
    }
    let bound = 1 / Float(hiddenSize).squareRoot()
    func parameter(_ shape: [Int]) -> Tensor {
      Tensor.uniform(shape, low: -bound, high: bound, using: &generator, requiresGrad: true)
    }
    weightIH = parameter([4 * hiddenSize, inputSize])
    weightHH = parameter([4 * hiddenSize, hiddenSize])
    biasIH = bias ? parameter([4 * hiddenSize]) : nil
    biasHH = bias ? parameter([4 * hiddenSize]) : nil
  }

  /// A layer with the given parameters (e.g. loaded or computed elsewhere).
  public init(weightIH: Tensor, weightHH: Tensor, biasIH: Tensor?, biasHH: Tensor?) {
    if weightHH.rank != 2 || weightHH.shape[0] != 4 * weightHH.shape[1] || weightHH.shape[1] == 0 {
      tensorFailure("LSTM: weightHH must be [4 * hidden, hidden], got \(weightHH.shape)")
    }
    let gateWidth = weightHH.shape[0]
    if weightIH.rank != 2 || weightIH.shape[0] != gateWidth || weightIH.shape[1] == 0 {
      tensorFailure(
        "LSTM: weightIH must be [\(gateWidth), input] to match weightHH \(weightHH.shape), got \(weightIH.shape)")
    }
    if (biasIH == nil) != (biasHH == nil) { tensorFailure("LSTM: give both biasIH and biasHH or neither") }
    for bias in [biasIH, biasHH] {
      if let bias, bias.shape != [gateWidth] {
        tensorFailure("LSTM: bias of shape \(bias.shape) for \(gateWidth) gate rows; expected [\(gateWidth)]")
      }
    }
    self.weightIH = weightIH
    self.weightHH = weightHH
    self.biasIH = biasIH
    self.biasHH = biasHH
  }

  /// PyTorch's names: weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0.
  public var ownParameters: [(name: String, tensor: Tensor)] {
    var found: [(name: String, tensor: Tensor)] = [("weight_ih_l0", weightIH), ("weight_hh_l0", weightHH)]
    if let biasIH, let biasHH {
      found += [("bias_ih_l0", biasIH), ("bias_hh_l0", biasHH)]
    }
    return found
  }

  /// Runs the sequence.
  /// - Parameters:
  ///   - input: [batch, time, inputSize] (batch-first).
  ///   - initialState: (h_0, c_0), each [batch, hiddenSize]; zeros when nil.
  /// - Returns: output [batch, time, hiddenSize] (every h_t), lastHidden h_T and lastCell c_T,
  ///   each [batch, hiddenSize]. Any of the three may feed a loss.
  public func callAsFunction(
    _ input: Tensor, initialState: (hidden: Tensor, cell: Tensor)? = nil
  ) -> (output: Tensor, lastHidden: Tensor, lastCell: Tensor) {
    if input.rank != 3 || input.shape[2] != inputSize {
      tensorFailure(
        "LSTM(\(inputSize) -> \(hiddenSize)): input of shape \(input.shape); expected [batch, time, \(inputSize)] (batch-first)"
      )
    }
    if let initialState {
      let expected = [input.shape[0], hiddenSize]
      if initialState.hidden.shape != expected || initialState.cell.shape != expected {
        tensorFailure(
          "LSTM(\(inputSize) -> \(hiddenSize)): initial state h0 \(initialState.hidden.shape), c0 \(initialState.cell.shape); expected \(expected) each"
        )
      }
    }
    return Tensor.lstm(
      input, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH,
      initialHidden: initialState?.hidden, initialCell: initialState?.cell)
  }
}
