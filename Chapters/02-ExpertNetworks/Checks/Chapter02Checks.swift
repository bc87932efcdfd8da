import Datasets
import Exercises
import MoE

/// The answers chapter 2's checked exercises ask for (see `Exercises.swift`).
public struct Chapter02Answers: Sendable {
  /// Exercise 5: a 1-H-1 tanh expert's output at x, from its weights.
  public var expertOutput:
    @Sendable (
      _ x: Float, _ hiddenWeights: [Float], _ hiddenBiases: [Float], _ outputWeights: [Float], _ outputBias: Float
    ) throws -> Float
  /// Exercise 6: the MSE against the noise-free target in each of the three regimes.
  public var regimeErrors: @Sendable (_ xs: [Float], _ predictions: [Float]) throws -> [Float]
  /// Exercise 7: the lowest training MSE a perfect model can expect on data with noise 0.05.
  public var noiseFloor: @Sendable () throws -> Double

  public init(
    expertOutput:
      @escaping @Sendable (
        _ x: Float, _ hiddenWeights: [Float], _ hiddenBiases: [Float], _ outputWeights: [Float], _ outputBias: Float
      ) throws -> Float,
    regimeErrors: @escaping @Sendable (_ xs: [Float], _ predictions: [Float]) throws -> [Float],
    noiseFloor: @escaping @Sendable () throws -> Double
  ) {
    self.expertOutput = expertOutput
    self.regimeErrors = regimeErrors
    self.noiseFloor = noiseFloor
  }
}

public func chapter02Exercises(_ answers: Chapter02Answers) -> [Exercise] {
  [
    Exercise(number: 5, title: "a 1-H-1 tanh expert's output, by hand", kind: .code) {
      var random = CheckRandom(seed: 25)
      var generator = SeededGenerator(seed: 25)
      for hidden in [1, 4, 4, 16, 3] {
        let expert = FeedForwardExpert(
          inputSize: 1, hiddenSize: hidden, outputSize: 1, activation: Tanh(), using: &generator)
        let (w, b, v) = (
          random.floats(hidden, in: -3...3), random.floats(hidden, in: -1...1), random.floats(hidden, in: -2...2)
        )
        let c = random.float(in: -1...1)
        expert.hidden.weight.assign(Tensor(shape: [hidden, 1], scalars: w))
        expert.hidden.bias!.assign(Tensor(b))
        expert.output.weight.assign(Tensor(shape: [1, hidden], scalars: v))
        expert.output.bias!.assign(Tensor([c]))
        for x in [Float(-1), -0.3, 0, 0.5, 1] {
          let expected = withoutGradients { expert(Tensor(shape: [1, 1], scalars: [x])) }.item
          try expectClose(
            try answers.expertOutput(x, w, b, v, c), expected, tolerance: 1e-4,
            input: "for x = \(describe(x)), hidden weights \(describe(w)), hidden biases \(describe(b)), "
              + "output weights \(describe(v)) and output bias \(describe(c))", name: "output")
        }
      }
    },
    Exercise(number: 6, title: "the error in each regime", kind: .code) {
      var random = CheckRandom(seed: 26)
      // A regime without points (here only the line's and the parabola's) must give 0, not NaN.
      var cases: [([Float], [Float])] = [([-0.5, 0, 0.5], [0, 0, 0]), ([-0.9, 0.9], [0.3, 0.1]), ([0.2], [0.2])]
      for _ in 0..<30 {
        let count = random.int(in: 1...12)
        cases.append((random.floats(count, in: -1...1), random.floats(count, in: -2...2)))
      }
      for (xs, predictions) in cases {
        try expectClose(
          try answers.regimeErrors(xs, predictions), regimeErrorOracle(xs, predictions), tolerance: 1e-4,
          input: "for xs \(describe(xs)) and predictions \(describe(predictions))", name: "errors")
      }
    },
    Exercise(number: 7, title: "the training MSE of a perfect model on noisy data", kind: .question) {
      try expectClose(
        try answers.noiseFloor(), 0.0025, tolerance: 1e-5, input: "for noise of standard deviation 0.05",
        name: "expected MSE")
    },
  ]
}

/// The chapter's `regimeErrors`, with 0 for a regime without points.
func regimeErrorOracle(_ xs: [Float], _ predictions: [Float]) -> [Float] {
  var sums = [Float](repeating: 0, count: 3)
  var counts = [Float](repeating: 0, count: 3)
  for (x, y) in zip(xs, predictions) {
    let regime = SyntheticData.piecewiseRegime(x)
    let error = y - SyntheticData.piecewiseTarget(x)
    sums[regime] += error * error
    counts[regime] += 1
  }
  return (0..<3).map { counts[$0] > 0 ? sums[$0] / counts[$0] : 0 }
}
