import NeuralNetworks
import Testing

@Suite struct LSTMTests {
  /// Uniform leaf tensor in [-1, 1) that requires gradients.
  static func leaf(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -1, high: 1, using: &generator, requiresGrad: true)
  }

  static func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    return zip(a, b).reduce(0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
  }

  /// The same LSTM built step by step from the engine's basic ops (affine, slice, sigmoid, tanh, *, +).
  static func referenceLSTM(
    _ x: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor?, biasHH: Tensor?,
    h0: Tensor?, c0: Tensor?
  ) -> (output: Tensor, lastHidden: Tensor, lastCell: Tensor) {
    let (batch, time, hidden) = (x.shape[0], x.shape[1], weightHH.shape[1])
    var h = h0 ?? Tensor.zeros([batch, hidden])
    var c = c0 ?? Tensor.zeros([batch, hidden])
    var outputs: [Tensor] = []
    for t in 0..<time {
      let gates =
        Tensor.affine(x.select(axis: 1, t), weight: weightIH, bias: biasIH)
        + Tensor.affine(h, weight: weightHH, bias: biasHH)
      let i = gates.slice(axis: 1, 0..<hidden).sigmoid()
      let f = gates.slice(axis: 1, hidden..<(2 * hidden)).sigmoid()
      let g = gates.slice(axis: 1, (2 * hidden)..<(3 * hidden)).tanh()
      let o = gates.slice(axis: 1, (3 * hidden)..<(4 * hidden)).sigmoid()
      c = f * c + i * g
      h = o * c.tanh()
      outputs.append(h)
    }
    return (Tensor.stack(outputs, axis: 1), h, c)
  }

  /// All three results flattened into one vector, so one check covers gradients from each.
  static func joined(_ result: (output: Tensor, lastHidden: Tensor, lastCell: Tensor)) -> Tensor {
    Tensor.concatenate(
      [result.output.reshaped([-1]), result.lastHidden.reshaped([-1]), result.lastCell.reshaped([-1])])
  }

  @Test func parametersHavePyTorchNamesShapesAndInitialization() {
    var generator = SeededGenerator(seed: 1)
    let lstm = LSTM(3, 4, using: &generator)
    let named = lstm.namedParameters
    #expect(named.map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
    #expect(named.map(\.tensor.shape) == [[16, 3], [16, 4], [16], [16]])
    #expect(named.allSatisfy { $0.tensor.requiresGrad })
    #expect(lstm.inputSize == 3 && lstm.hiddenSize == 4)
    let bound: Float = 1 / 2  // 1 / sqrt(4)
    for (_, tensor) in named {
      #expect(tensor.scalars.allSatisfy { $0 >= -bound && $0 < bound })
    }
    #expect(lstm.parameterCount == 16 * 3 + 16 * 4 + 16 + 16)

    let withoutBias = LSTM(3, 4, bias: false, using: &generator)
    #expect(withoutBias.namedParameters.map(\.name) == ["weight_ih_l0", "weight_hh_l0"])
  }

  @Test func outputShapesAndLastStates() {
    var generator = SeededGenerator(seed: 2)
    let lstm = LSTM(5, 6, using: &generator)
    let x = Tensor.uniform([3, 7, 5], low: -1, high: 1, using: &generator)
    let (output, lastHidden, lastCell) = lstm(x)
    #expect(output.shape == [3, 7, 6])
    #expect(lastHidden.shape == [3, 6])
    #expect(lastCell.shape == [3, 6])
    #expect(output.select(axis: 1, 6).scalars == lastHidden.scalars)
    // h = o * tanh(c) lies in (-1, 1).
    #expect(output.scalars.allSatisfy { Swift.abs($0) < 1 })
  }

  @Test func matchesStepByStepReferenceWithInitialState() {
    let (batch, time, input, hidden) = (2, 3, 3, 4)
    let x = Self.leaf([batch, time, input], seed: 10)
    let weightIH = Self.leaf([4 * hidden, input], seed: 11)
    let weightHH = Self.leaf([4 * hidden, hidden], seed: 12)
    let biasIH = Self.leaf([4 * hidden], seed: 13)
    let biasHH = Self.leaf([4 * hidden], seed: 14)
    let h0 = Self.leaf([batch, hidden], seed: 15)
    let c0 = Self.leaf([batch, hidden], seed: 16)
    let inputs = [x, weightIH, weightHH, biasIH, biasHH, h0, c0]
    // Fixed random weights for each output, so the loss depends on all three.
    let wOutput = Self.leaf([batch, time, hidden], seed: 20).detached()
    let wHidden = Self.leaf([batch, hidden], seed: 21).detached()
    let wCell = Self.leaf([batch, hidden], seed: 22).detached()

    func lossAndGradients(
      _ run: () -> (output: Tensor, lastHidden: Tensor, lastCell: Tensor)
    ) -> (result: [Float], gradients: [[Float]]) {
      for tensor in inputs { tensor.zeroGrad() }
      let result = run()
      let loss =
        (result.output * wOutput).sum() + (result.lastHidden * wHidden).sum()
        + (result.lastCell * wCell).sum()
      loss.backward()
      return (Self.joined(result).scalars, inputs.map { $0.grad!.scalars })
    }
    let fused = lossAndGradients {
      Tensor.lstm(
        x, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH,
        initialHidden: h0, initialCell: c0)
    }
    let reference = lossAndGradients {
      Self.referenceLSTM(x, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, h0: h0, c0: c0)
    }
    #expect(Self.maximumDifference(fused.result, reference.result) < 1e-5)
    for index in inputs.indices {
      let difference = Self.maximumDifference(fused.gradients[index], reference.gradients[index])
      #expect(difference < 1e-5, "gradient of input \(index) differs by \(difference)")
    }
  }

  @Test func matchesReferenceThroughTheLayerWithoutInitialState() {
    var generator = SeededGenerator(seed: 3)
    let lstm = LSTM(4, 5, using: &generator)
    let x = Self.leaf([3, 6, 4], seed: 30)
    let weights = Self.leaf([3, 6, 5], seed: 31).detached()

    func gradients(_ output: Tensor) -> [[Float]] {
      lstm.zeroGrad()
      x.zeroGrad()
      (output * weights).sum().backward()
      return [x.grad!.scalars] + lstm.parameters.map { $0.grad!.scalars }
    }
    let fused = lstm(x).output
    let fusedGradients = gradients(fused)
    let reference = Self.referenceLSTM(
      x, weightIH: lstm.weightIH, weightHH: lstm.weightHH, biasIH: lstm.biasIH, biasHH: lstm.biasHH,
      h0: nil, c0: nil
    ).output
    let referenceGradients = gradients(reference)
    #expect(Self.maximumDifference(fused.scalars, reference.scalars) < 1e-5)
    for (a, b) in zip(fusedGradients, referenceGradients) {
      #expect(Self.maximumDifference(a, b) < 1e-5)
    }
  }

  @Test func gradientCheckWithInitialState() {
    let (batch, time, input, hidden) = (2, 3, 3, 4)
    let inputs = [
      Self.leaf([batch, time, input], seed: 40), Self.leaf([4 * hidden, input], seed: 41),
      Self.leaf([4 * hidden, hidden], seed: 42), Self.leaf([4 * hidden], seed: 43), Self.leaf([4 * hidden], seed: 44),
      Self.leaf([batch, hidden], seed: 45), Self.leaf([batch, hidden], seed: 46),
    ]
    let report = checkGradients(
      of: { t in
        Self.joined(
          Tensor.lstm(
            t[0], weightIH: t[1], weightHH: t[2], biasIH: t[3], biasHH: t[4], initialHidden: t[5],
            initialCell: t[6]))
      }, at: inputs)
    #expect(report.passes(tolerance: 1e-2), "\(report)")
  }

  @Test func gradientCheckWithoutBiasOrInitialState() {
    let inputs = [Self.leaf([2, 3, 3], seed: 50), Self.leaf([16, 3], seed: 51), Self.leaf([16, 4], seed: 52)]
    let report = checkGradients(
      of: { t in Self.joined(Tensor.lstm(t[0], weightIH: t[1], weightHH: t[2], biasIH: nil, biasHH: nil)) },
      at: inputs)
    #expect(report.passes(tolerance: 1e-2), "\(report)")
  }

  @Test func gradientCheckSingleStepSingleExample() {
    let inputs = [
      Self.leaf([1, 1, 2], seed: 55), Self.leaf([12, 2], seed: 56), Self.leaf([12, 3], seed: 57),
      Self.leaf([12], seed: 58), Self.leaf([12], seed: 59), Self.leaf([1, 3], seed: 60),
    ]
    let report = checkGradients(
      of: { t in
        Self.joined(
          Tensor.lstm(t[0], weightIH: t[1], weightHH: t[2], biasIH: t[3], biasHH: t[4], initialHidden: t[5]))
      }, at: inputs)
    #expect(report.passes(tolerance: 1e-2), "\(report)")
  }

  @Test func gradientFromLastCellAlone() {
    // Only c_T feeds the loss: the gradient must still reach x and every parameter.
    var generator = SeededGenerator(seed: 4)
    let lstm = LSTM(2, 3, using: &generator)
    let x = Self.leaf([2, 4, 2], seed: 60)
    lstm(x).lastCell.sum().backward()
    #expect(x.grad != nil && x.grad!.scalars.contains { $0 != 0 })
    #expect(lstm.parameters.allSatisfy { $0.grad != nil })
  }

  @Test func worksWithoutGradients() {
    var generator = SeededGenerator(seed: 5)
    let lstm = LSTM(2, 3, using: &generator)
    let x = Self.leaf([2, 4, 2], seed: 70)
    let recorded = lstm(x).output
    let plain = withoutGradients { lstm(x).output }
    #expect(!plain.requiresGrad)
    #expect(plain.scalars == recorded.scalars)
  }

  @Test func matchesReferenceForWideBatchAndLargeActivations() {
    // Batch 11 fills one 8-lane vector plus a partial one; inputs scaled by 4 drive the gates
    // deep into saturation, where the fast exp/tanh must still agree with the C library.
    let (batch, time, input, hidden) = (11, 4, 3, 5)
    let x = Self.leaf([batch, time, input], seed: 80)
    let weightIH = Self.leaf([4 * hidden, input], seed: 81)
    let weightHH = Self.leaf([4 * hidden, hidden], seed: 82)
    let biasIH = Self.leaf([4 * hidden], seed: 83)
    let biasHH = Self.leaf([4 * hidden], seed: 84)
    let scaledX = (x * 4).detached()
    scaledX.requiresGrad = true
    let inputs = [scaledX, weightIH, weightHH, biasIH, biasHH]
    let weights = Self.leaf([batch, time, hidden], seed: 85).detached()
    func run(_ body: () -> Tensor) -> [[Float]] {
      for tensor in inputs { tensor.zeroGrad() }
      let output = body()
      (output * weights).sum().backward()
      return [output.scalars] + inputs.map { $0.grad!.scalars }
    }
    let fused = run {
      Tensor.lstm(scaledX, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH).output
    }
    let reference = run {
      Self.referenceLSTM(
        scaledX, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, h0: nil, c0: nil
      ).output
    }
    for (a, b) in zip(fused, reference) {
      #expect(Self.maximumDifference(a, b) < 1e-5)
    }
  }

  @Test func wrongInputShapeFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let lstm = LSTM(3, 4, using: &generator)
      _ = lstm(Tensor.zeros([2, 5, 7]))
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("error: LSTM(3 -> 4): input of shape [2, 5, 7]; expected [batch, time, 3]"), "\(text)")
  }

  @Test func wrongInitialStateShapeFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let lstm = LSTM(3, 4, using: &generator)
      _ = lstm(Tensor.zeros([2, 5, 3]), initialState: (Tensor.zeros([2, 4]), Tensor.zeros([4])))
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("initial state h0 [2, 4], c0 [4]; expected [2, 4] each"), "\(text)")
  }
}

@Suite struct LSTMKernelVariantTests {
  /// Output and every gradient of one LSTM forward + backward, as bit patterns.
  static func bits(batch: Int, time: Int, input: Int, hidden: Int) -> [UInt32] {
    let x = LSTMTests.leaf([batch, time, input], seed: 21)
    let weightIH = LSTMTests.leaf([4 * hidden, input], seed: 22)
    let weightHH = LSTMTests.leaf([4 * hidden, hidden], seed: 23)
    let biasIH = LSTMTests.leaf([4 * hidden], seed: 24)
    let biasHH = LSTMTests.leaf([4 * hidden], seed: 25)
    let h0 = LSTMTests.leaf([batch, hidden], seed: 26)
    let c0 = LSTMTests.leaf([batch, hidden], seed: 27)
    let result = Tensor.lstm(
      x, weightIH: weightIH, weightHH: weightHH, biasIH: biasIH, biasHH: biasHH, initialHidden: h0, initialCell: c0)
    let joined = LSTMTests.joined(result)
    // A loss whose gradient differs per element, so every lane of the backward loop matters.
    var generator = SeededGenerator(seed: 28)
    let weights = Tensor.uniform(joined.shape, low: -1, high: 1, using: &generator)
    (joined * weights).sum().backward()
    let tensors = [joined] + [x, weightIH, weightHH, biasIH, biasHH, h0, c0].map { $0.grad! }
    return tensors.flatMap { $0.scalars.map(\.bitPattern) }
  }

  @Test func everyVectorWidthGivesBitIdenticalResults() {
    let widest = KernelVariant.vectorWidth
    defer { KernelVariant.select(width: widest) }
    // Batches that fill whole vectors, and ones that leave a tail in each width.
    for batch in [1, 3, 16, 37] {
      KernelVariant.select(width: widest)
      let reference = Self.bits(batch: batch, time: 4, input: 5, hidden: 6)
      for width in [16, 8, 4] where width <= widest {
        #expect(KernelVariant.select(width: width) == width)
        #expect(Self.bits(batch: batch, time: 4, input: 5, hidden: 6) == reference, "batch \(batch), width \(width)")
      }
    }
  }
}
