import NeuralNetworks

/// An expert that reads whole sequences, [N, T, D] padded to the batch's longest, with the true
/// length of each, and returns one row per sequence, [N, O].
///
/// A mixture passes `RoutingContext.lengths` (restricted to the rows the expert was given in sparse
/// dispatch) to every expert that conforms to this protocol; to sit in a mixture's `experts` the
/// expert is also a `Layer`, whose one-argument call reads every sequence at full length.
public protocol SequenceExpert: Module {
  func callAsFunction(_ sequences: Tensor, lengths: [Int]) -> Tensor
}

/// An LSTM expert: E(x) = head(h_{L}), the LSTM's hidden state at the last valid step L of each
/// sequence (its length), optionally followed by a linear head (PyTorch: `nn.LSTM(batch_first=True)`,
/// then `output[n, lengths[n] - 1]`, then `nn.Linear`).
///
/// Padding after the last valid step does not reach the output: the LSTM runs left to right, so
/// h_L depends only on steps 1...L. Parameters: `lstm.*` (PyTorch names) and `head.*`.
public final class LSTMExpert: Layer, SequenceExpert {
  public let lstm: LSTM
  public let head: Linear?

  public var inputSize: Int { lstm.inputSize }
  public var outputSize: Int { head?.outputSize ?? lstm.hiddenSize }

  /// `inputSize -> LSTM(hiddenSize) -> Linear(outputSize)`, or no head when `outputSize` is nil.
  public init(inputSize: Int, hiddenSize: Int, outputSize: Int? = nil, using generator: inout SeededGenerator) {
    lstm = LSTM(inputSize, hiddenSize, using: &generator)
    head = outputSize.map { Linear(hiddenSize, $0, using: &generator) }
  }

  /// Every sequence read at its full length T.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    if input.rank != 3 {
      tensorFailure("LSTMExpert: input of shape \(input.shape); expected [batch, time, \(inputSize)]")
    }
    return callAsFunction(input, lengths: [Int](repeating: input.shape[1], count: input.shape[0]))
  }

  /// [N, T, D] sequences with their lengths (each in 1...T) to [N, outputSize].
  public func callAsFunction(_ sequences: Tensor, lengths: [Int]) -> Tensor {
    if sequences.rank != 3 {
      tensorFailure("LSTMExpert: input of shape \(sequences.shape); expected [batch, time, \(inputSize)]")
    }
    let (batch, time) = (sequences.shape[0], sequences.shape[1])
    if lengths.count != batch {
      tensorFailure("LSTMExpert: \(lengths.count) lengths for a batch of \(batch) sequences")
    }
    if let bad = lengths.firstIndex(where: { $0 < 1 || $0 > time }) {
      tensorFailure("LSTMExpert: length \(lengths[bad]) at position \(bad) is outside 1...\(time)")
    }
    let output = lstm(sequences).output  // [N, T, H]
    let hiddenSize = lstm.hiddenSize
    let last = output.reshaped([batch * time, hiddenSize])
      .indexSelect(rows: lengths.enumerated().map { row, length in row * time + length - 1 })
    return head.map { $0(last) } ?? last
  }
}
