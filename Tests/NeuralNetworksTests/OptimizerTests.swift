import NeuralNetworks
import Testing

@Suite struct OptimizerTests {
  /// One Adam step from the published update rule, computed by hand in Double.
  @Test func adamFirstAndSecondStepMatchTheUpdateRule() {
    let p = Tensor([0.5, -1.0, 2.0], requiresGrad: true)
    let optimizer = Adam(parameters: [p], learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8)
    var expected = [0.5, -1.0, 2.0]
    var m = [0.0, 0.0, 0.0]
    var v = [0.0, 0.0, 0.0]
    let gradients: [[Double]] = [[0.2, -0.4, 1.5], [-0.1, 0.3, 0.5]]
    for (t, g) in gradients.enumerated() {
      p.grad = Tensor(g.map { Float($0) })
      optimizer.step()
      for i in 0..<3 {
        m[i] = 0.9 * m[i] + 0.1 * g[i]
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
        let mHat = m[i] / (1 - integerPower(0.9, Double(t + 1)))
        let vHat = v[i] / (1 - integerPower(0.999, Double(t + 1)))
        expected[i] -= 0.1 * mHat / (vHat.squareRoot() + 1e-8)
      }
      #expect(allClose(p.scalars, expected.map { Float($0) }, tolerance: 1e-6), "step \(t + 1)")
    }
    // The first step moves every coordinate by almost exactly the learning rate.
    #expect(optimizer.stepCount == 2)
  }

  @Test func adamWDecaysWeightsIndependentlyOfTheGradient() {
    let p = Tensor([1.0], requiresGrad: true)
    let optimizer = AdamW(parameters: [p], learningRate: 0.1, weightDecay: 0.5)
    p.grad = Tensor([0])
    optimizer.step()
    // Zero gradient: only the decoupled decay acts, p = 1 * (1 - 0.1 * 0.5).
    #expect(isClose(p.scalars[0], 0.95))
  }

  @Test func sgdWithMomentumMatchesPyTorchRecurrence() {
    let p = Tensor([1.0], requiresGrad: true)
    let optimizer = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
    p.grad = Tensor([1])
    optimizer.step()  // b = 1, p = 0.9
    p.grad = Tensor([1])
    optimizer.step()  // b = 1.9, p = 0.71
    #expect(isClose(p.scalars[0], 0.71))
  }

  @Test func parametersWithoutGradientAreLeftAlone() {
    let used = Tensor([1.0], requiresGrad: true)
    let unused = Tensor([1.0], requiresGrad: true)
    let optimizer = Adam(parameters: [used, unused], learningRate: 0.1)
    used.grad = Tensor([1])
    optimizer.step()
    #expect(unused.scalars == [1.0])
    #expect(used.scalars[0] < 1)
  }

  @Test func trainingReducesTheLoss() {
    var generator = SeededGenerator(seed: 5)
    let model = Sequential(Linear(2, 16, using: &generator), Tanh(), Linear(16, 1, using: &generator))
    let x = Tensor.uniform([64, 2], low: -1, high: 1, using: &generator)
    let y = (x.select(axis: 1, 0) * x.select(axis: 1, 1)).reshaped([64, 1])
    let optimizer = Adam(parameters: model.parameters, learningRate: 0.01)
    let initial = meanSquaredError(model(x), y).item
    for _ in 0..<300 {
      optimizer.zeroGrad()
      let loss = meanSquaredError(model(x), y)
      loss.backward()
      optimizer.step()
    }
    let final = meanSquaredError(model(x), y).item
    #expect(final < initial * 0.2, "loss \(initial) -> \(final)")
  }

  @Test func schedulesFollowTheirFormulas() {
    let step = StepDecay(initial: 1, stepSize: 10, gamma: 0.5)
    #expect(step(0) == 1 && step(9) == 1 && step(10) == 0.5 && step(25) == 0.25)
    let cosine = CosineDecay(peak: 1, totalSteps: 110, warmupSteps: 10, minimum: 0.1)
    #expect(isClose(cosine(0), 0.1) && isClose(cosine(4), 0.5) && isClose(cosine(9), 1))
    #expect(isClose(cosine(10), 1))
    #expect(isClose(cosine(60), 0.55))
    #expect(isClose(cosine(110), 0.1) && isClose(cosine(500), 0.1))
  }

  @Test func clippingScalesTheGlobalNorm() {
    let a = Tensor([0, 0], requiresGrad: true)
    let b = Tensor([0], requiresGrad: true)
    a.grad = Tensor([3, 0])
    b.grad = Tensor([4])
    let norm = clipGradientNorm([a, b], maxNorm: 1)
    #expect(isClose(norm, 5))
    #expect(allClose(a.grad!.scalars + b.grad!.scalars, [0.6, 0, 0.8], tolerance: 1e-5))
    // Below the limit nothing changes.
    let untouched = clipGradientNorm([a, b], maxNorm: 10)
    #expect(isClose(untouched, 1, tolerance: 1e-4))
    #expect(allClose(a.grad!.scalars, [0.6, 0], tolerance: 1e-5))
  }

  @Test func badHyperparameterIsNamed() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = Adam(parameters: [], learningRate: 0.1, beta1: 1.5)
    }.map { result in
      let text = String(decoding: result.standardErrorContent, as: UTF8.self)
      #expect(text.contains("Adam: beta1 = 1.5 must lie in [0, 1)"), "\(text)")
    }
  }
}

private func integerPower(_ base: Double, _ exponent: Double) -> Double {
  var result = 1.0
  for _ in 0..<Int(exponent) { result *= base }
  return result
}
