import NeuralNetworks
import Testing

@Suite struct NormalizationTests {
  static func leaf(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, using: &generator, requiresGrad: true)
  }

  @Test func parametersHavePyTorchNamesAndInitialization() {
    let norm = LayerNorm(6)
    #expect(norm.namedParameters.map(\.name) == ["weight", "bias"])
    #expect(norm.namedParameters.map(\.tensor.shape) == [[6], [6]])
    #expect(norm.weight!.scalars == [Float](repeating: 1, count: 6))
    #expect(norm.bias!.scalars == [Float](repeating: 0, count: 6))
    #expect(norm.epsilon == 1e-5)
    #expect(LayerNorm(6, elementwiseAffine: false).namedParameters.isEmpty)
  }

  @Test func rowsHaveZeroMeanAndUnitVariance() {
    let x = Self.leaf([2, 3, 8], seed: 1, low: -3, high: 5)
    let y = LayerNorm(8)(x)
    #expect(y.shape == [2, 3, 8])
    for row in 0..<6 {
      let line = Array(y.scalars[(row * 8)..<(row * 8 + 8)])
      let mean = line.reduce(0, +) / 8
      let variance = line.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
      #expect(Swift.abs(mean) < 1e-5)
      #expect(Swift.abs(variance - 1) < 1e-3)  // var / (var + eps), biased
    }
  }

  @Test func matchesTheFormulaWithWeightAndBias() {
    let x = Self.leaf([4, 5], seed: 2)
    let weight = Self.leaf([5], seed: 3)
    let bias = Self.leaf([5], seed: 4)
    let y = Tensor.layerNorm(x, weight: weight, bias: bias, epsilon: 1e-5)
    // The same formula from basic ops: mean, biased variance, sqrt, broadcasting.
    let mean = x.mean(axis: -1, keepDimensions: true)
    let centered = x - mean
    let variance = centered.squared().mean(axis: -1, keepDimensions: true)
    let expected = centered / (variance + 1e-5).sqrt() * weight + bias
    #expect(zip(y.scalars, expected.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
  }

  @Test func gradientCheck() {
    let inputs = [Self.leaf([3, 7], seed: 5), Self.leaf([7], seed: 6), Self.leaf([7], seed: 7)]
    let report = checkGradients(
      of: { t in Tensor.layerNorm(t[0], weight: t[1], bias: t[2], epsilon: 1e-5) }, at: inputs)
    #expect(report.passes(tolerance: 1e-2), "\(report)")
    let plain = checkGradients(
      of: { t in Tensor.layerNorm(t[0], weight: nil, bias: nil) }, at: [Self.leaf([2, 3, 4], seed: 8)])
    #expect(plain.passes(tolerance: 1e-2), "\(plain)")
  }

  @Test func gradientsMatchComposedOps() {
    let x = Self.leaf([3, 6], seed: 9)
    let weight = Self.leaf([6], seed: 10)
    let bias = Self.leaf([6], seed: 11)
    let g = Self.leaf([3, 6], seed: 12).detached()
    func gradients(_ y: Tensor) -> [[Float]] {
      for t in [x, weight, bias] { t.zeroGrad() }
      (y * g).sum().backward()
      return [x, weight, bias].map { $0.grad!.scalars }
    }
    let fused = gradients(Tensor.layerNorm(x, weight: weight, bias: bias))
    let centered = x - x.mean(axis: -1, keepDimensions: true)
    let variance = centered.squared().mean(axis: -1, keepDimensions: true)
    let composed = gradients(centered / (variance + 1e-5).sqrt() * weight + bias)
    for (a, b) in zip(fused, composed) {
      #expect(zip(a, b).allSatisfy { Swift.abs($0 - $1) < 1e-4 })
    }
  }

  @Test func wrongLastDimensionFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = LayerNorm(8)(Tensor.zeros([2, 4]))
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("error: LayerNorm(8): input of shape [2, 4] has last dimension 4, expected 8"), "\(text)")
  }
}
