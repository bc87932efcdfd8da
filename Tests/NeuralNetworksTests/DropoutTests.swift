import NeuralNetworks
import Testing

@Suite struct DropoutTests {
  @Test func evaluationModeIsIdentity() {
    let dropout = Dropout(probability: 0.5, seed: 1)
    #expect(dropout.isTraining)
    dropout.eval()
    #expect(!dropout.isTraining)
    var generator = SeededGenerator(seed: 2)
    let x = Tensor.uniform([4, 5], low: -1, high: 1, using: &generator, requiresGrad: true)
    let y = dropout(x)
    #expect(y.scalars == x.scalars)
    y.sum().backward()
    #expect(x.grad!.scalars == [Float](repeating: 1, count: 20))
    dropout.train()
    #expect(dropout.isTraining)
  }

  @Test func trainingZeroesAboutPAndScalesSurvivors() {
    let p: Float = 0.3
    let dropout = Dropout(probability: p, seed: 3)
    let x = Tensor.ones([100, 100])
    let y = dropout(x)
    let zeros = y.scalars.filter { $0 == 0 }.count
    // 10,000 Bernoulli(0.3) draws: standard deviation 0.0046 of the fraction.
    #expect(Swift.abs(Float(zeros) / 10_000 - p) < 0.02)
    #expect(y.scalars.allSatisfy { $0 == 0 || $0 == 1 / (1 - p) })
    // The mean is preserved in expectation.
    #expect(Swift.abs(y.mean().item - 1) < 0.03)
  }

  @Test func gradientFlowsOnlyThroughSurvivorsScaled() {
    let p: Float = 0.5
    let dropout = Dropout(probability: p, seed: 4)
    var generator = SeededGenerator(seed: 5)
    let x = Tensor.uniform([8, 16], low: 0.5, high: 1.5, using: &generator, requiresGrad: true)
    let y = dropout(x)
    y.sum().backward()
    for (output, gradient) in zip(y.scalars, x.grad!.scalars) {
      #expect(gradient == (output == 0 ? 0 : 1 / (1 - p)))
    }
    #expect(x.grad!.scalars.contains(0) && x.grad!.scalars.contains(2))
  }

  @Test func sameSeedGivesSameMasks() {
    let x = Tensor.ones([10, 10])
    let a = Dropout(probability: 0.4, seed: 7)
    let b = Dropout(probability: 0.4, seed: 7)
    let first = a(x).scalars
    #expect(first == b(x).scalars)
    // The stream moves on: the next call draws a different mask, again the same for both.
    let second = a(x).scalars
    #expect(second != first)
    #expect(second == b(x).scalars)
    #expect(Dropout(probability: 0.4, seed: 8)(x).scalars != first)
  }

  @Test func extremeProbabilities() {
    let x = Tensor.full([3, 4], value: 2)
    #expect(Dropout(probability: 0, seed: 1)(x).scalars == x.scalars)
    #expect(Dropout(probability: 1, seed: 1)(x).scalars == [Float](repeating: 0, count: 12))
  }

  @Test func containerModeReachesDropout() {
    var generator = SeededGenerator(seed: 6)
    let dropout = Dropout(probability: 0.5, seed: 9)
    let model = Sequential(Linear(4, 4, using: &generator), dropout)
    #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias"])
    model.eval()
    #expect(!dropout.isTraining)
    model.train()
    #expect(dropout.isTraining)
  }

  @Test func probabilityOutOfRangeFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Dropout(probability: 1.5, seed: 1)
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("error: Dropout: probability 1.5 must lie in [0, 1]"), "\(text)")
  }
}
