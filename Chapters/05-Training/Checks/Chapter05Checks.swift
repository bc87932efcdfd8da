import Datasets
import Exercises
import MoE

/// The answers chapter 5's checked exercises ask for (see `Exercises.swift`).
public struct Chapter05Answers: Sendable {
  /// Exercise 6: the parameters after Adam steps with the given gradients, one step per gradient.
  public var adamSteps: @Sendable (_ start: [Float], _ gradients: [[Float]], _ learningRate: Float) throws -> [Float]
  /// Exercise 7: the smallest H for which an MLP inputSize-H-1 is at least as large as the mixture.
  public var matchingWidth: @Sendable (_ experts: Int, _ expertHidden: Int, _ inputSize: Int) throws -> Int
  /// Exercise 8: the MSE of always predicting the mean target, on infinitely many points.
  public var targetVariance: @Sendable () throws -> Double

  public init(
    adamSteps: @escaping @Sendable (_ start: [Float], _ gradients: [[Float]], _ learningRate: Float) throws -> [Float],
    matchingWidth: @escaping @Sendable (_ experts: Int, _ expertHidden: Int, _ inputSize: Int) throws -> Int,
    targetVariance: @escaping @Sendable () throws -> Double
  ) {
    self.adamSteps = adamSteps
    self.matchingWidth = matchingWidth
    self.targetVariance = targetVariance
  }
}

public func chapter05Exercises(_ answers: Chapter05Answers) -> [Exercise] {
  [
    Exercise(number: 6, title: "Adam's update, by hand", kind: .code) {
      var random = CheckRandom(seed: 56)
      // One step (where the bias correction matters most), a zero gradient, then longer runs.
      var cases: [([Float], [[Float]], Float)] = [
        ([1], [[0.5]], 0.1), ([0, 2], [[1, 0]], 0.01), ([1, -1], [[2, -3], [1, 1]], 0.1),
      ]
      for _ in 0..<20 {
        let size = random.int(in: 1...4)
        let steps = random.int(in: 1...6)
        cases.append((random.floats(size, in: -2...2), random.matrix(rows: steps, columns: size, in: -3...3), 0.05))
      }
      for (start, gradients, rate) in cases {
        try expectClose(
          try answers.adamSteps(start, gradients, rate), libraryAdam(start, gradients, rate), tolerance: 1e-4,
          input: "from \(describe(start)) with gradients \(describe(gradients)) and learning rate \(describe(rate))",
          name: "parameters")
      }
    },
    Exercise(number: 7, title: "the width of a single MLP as large as a mixture", kind: .code) {
      var generator = SeededGenerator(seed: 57)
      var random = CheckRandom(seed: 57)
      var cases = [(4, 16, 10), (2, 32, 10), (8, 8, 10), (1, 1, 1)]
      for _ in 0..<15 { cases.append((random.int(in: 1...8), random.int(in: 1...32), random.int(in: 1...12))) }
      for (experts, hidden, inputs) in cases {
        let mixture = MixtureOfExperts(
          experts: FeedForwardExpert.make(
            count: experts, inputSize: inputs, hiddenSize: hidden, outputSize: 1, using: &generator),
          gate: try SoftmaxGate(inputSize: inputs, expertCount: experts, using: &generator))
        // An MLP inputs-H-1 has (inputs + 2) H + 1 parameters; the smallest H that reaches the mixture:
        var width = 1
        while (inputs + 2) * width + 1 < mixture.parameterCount { width += 1 }
        try expectEqual(
          try answers.matchingWidth(experts, hidden, inputs), width,
          input:
            "for \(experts) experts \(inputs)-\(hidden)-1 and a softmax gate (\(mixture.parameterCount) parameters)",
          name: "width")
      }
    },
    Exercise(number: 8, title: "the MSE of predicting the mean target", kind: .question) {
      // y = sum of 10 squared standard normals is chi-squared with 10 degrees of freedom: variance 2 * 10.
      try expectClose(
        try answers.targetVariance(), 20, tolerance: 1e-3, input: "for y = x1^2 + ... + x10^2, x ~ N(0, I)",
        name: "MSE")
    },
  ]
}

/// The library's Adam on a parameter whose gradient is set to each of `gradients` in turn: the loss
/// sum_i p_i g_i has gradient g.
func libraryAdam(_ start: [Float], _ gradients: [[Float]], _ rate: Float) -> [Float] {
  let parameter = Tensor(shape: [start.count], scalars: start, requiresGrad: true)
  let optimizer = Adam(parameters: [parameter], learningRate: rate)
  for gradient in gradients {
    optimizer.zeroGrad()
    (parameter * Tensor(gradient)).sum().backward()
    optimizer.step()
  }
  return parameter.scalars
}
