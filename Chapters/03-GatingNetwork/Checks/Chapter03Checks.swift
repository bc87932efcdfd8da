import Datasets
import Exercises
import Foundation  // log
import MoE

/// The answers chapter 3's checked exercises ask for (see `Exercises.swift`).
public struct Chapter03Answers: Sendable {
  /// Exercise 1: the two borders of the hand-set gate once the middle expert's bias is 1.
  public var borders: @Sendable () throws -> [Float]
  /// Exercise 5: softmax(s / T) of each row of scores.
  public var softmaxWeights: @Sendable (_ scores: [[Float]], _ temperature: Float) throws -> [[Float]]
  /// Exercise 6: top-k gate weights, a softmax over each row's k largest logits, 0 elsewhere.
  public var topKWeights: @Sendable (_ logits: [[Float]], _ k: Int) throws -> [[Float]]
  /// Exercise 7: the entropy of a uniform gate over 8 experts, in nats.
  public var uniformEntropy: @Sendable () throws -> Double
  /// Exercise 8: the chapter's mean entropy at T = 2, as the run printed it.
  public var meanEntropyAtTemperatureTwo: @Sendable () throws -> Double

  public init(
    borders: @escaping @Sendable () throws -> [Float],
    softmaxWeights: @escaping @Sendable (_ scores: [[Float]], _ temperature: Float) throws -> [[Float]],
    topKWeights: @escaping @Sendable (_ logits: [[Float]], _ k: Int) throws -> [[Float]],
    uniformEntropy: @escaping @Sendable () throws -> Double,
    meanEntropyAtTemperatureTwo: @escaping @Sendable () throws -> Double
  ) {
    self.borders = borders
    self.softmaxWeights = softmaxWeights
    self.topKWeights = topKWeights
    self.uniformEntropy = uniformEntropy
    self.meanEntropyAtTemperatureTwo = meanEntropyAtTemperatureTwo
  }
}

public func chapter03Exercises(_ answers: Chapter03Answers) -> [Exercise] {
  [
    Exercise(number: 1, title: "the borders of the gate with the middle bias set to 1", kind: .experiment) {
      try expectClose(
        try answers.borders(), winnerChanges(bias: [-2, 1, -2]), tolerance: 0.005,
        input: "for biases [-2, 1, -2]", name: "borders")
    },
    Exercise(number: 5, title: "the softmax gate's weights at temperature T", kind: .code) {
      var random = CheckRandom(seed: 35)
      // Large scores overflow exp unless the largest is subtracted first; ties must share equally.
      var cases: [([[Float]], Float)] = [
        ([[1, 2, 3]], 1), ([[1000, 1001]], 1), ([[2, 2, 2]], 0.05), ([[-6, 0, 6]], 4), ([[0.5, -0.5]], 0.25),
      ]
      for _ in 0..<40 {
        let temperature = [Float(0.05), 0.3, 1, 4, 20][random.int(in: 0...4)]
        cases.append(
          (random.matrix(rows: random.int(in: 1...4), columns: random.int(in: 2...6), in: -5...5), temperature))
      }
      for (scores, temperature) in cases {
        let scaled = Tensor(shape: [scores.count, scores[0].count], scalars: scores.flatMap { $0 }) / temperature
        try expectClose(
          try answers.softmaxWeights(scores, temperature), rows(of: scaled.softmax(axis: 1)), tolerance: 1e-4,
          input: "for scores \(describe(scores)) and T = \(describe(temperature))", name: "weights")
      }
    },
    Exercise(number: 6, title: "the top-k gate's weights for these logits", kind: .code) {
      var random = CheckRandom(seed: 36)
      // Ties go to the lower index (as `Tensor.topK`); k = E must give the dense softmax.
      var cases: [([[Float]], Int)] = [
        ([[1, 2, 3]], 2), ([[1, 2, 3]], 3), ([[4, 1, 4, 2]], 1), ([[0, 0, 0]], 2), ([[5, -1], [-1, 5]], 1),
      ]
      for _ in 0..<40 {
        let experts = random.int(in: 2...6)
        cases.append(
          (random.matrix(rows: random.int(in: 1...4), columns: experts, in: -3...3), random.int(in: 1...experts)))
      }
      for (logits, k) in cases {
        try expectClose(
          try answers.topKWeights(logits, k), libraryTopK(logits, k: k), tolerance: 1e-4,
          input: "for logits \(describe(logits)) and k = \(k)", name: "weights")
      }
    },
    Exercise(number: 7, title: "the entropy of a uniform gate over 8 experts", kind: .question) {
      try expectClose(try answers.uniformEntropy(), log(8.0), tolerance: 1e-3, input: "for 8 experts", name: "entropy")
    },
    Exercise(number: 8, title: "the mean entropy over the grid at T = 2", kind: .experiment) {
      try expectClose(
        try answers.meanEntropyAtTemperatureTwo(), Double(referenceMeanEntropy(temperature: 2)), tolerance: 5e-4,
        input: "for the chapter's gate at T = 2 on its 2001-point grid", name: "mean entropy")
    },
  ]
}

/// The chapter's hand-set gate: weights -6, 0, 6 and the given biases.
func handSetGate(bias: [Float], temperature: Float = 1) throws -> SoftmaxGate {
  var generator = SeededGenerator(seed: 3)
  let gate = try SoftmaxGate(inputSize: 1, expertCount: 3, temperature: temperature, using: &generator)
  gate.weight.assign(Tensor(shape: [3, 1], scalars: [-6, 0, 6]))
  gate.bias.assign(Tensor(bias))
  return gate
}

/// Where the arg-max of the gate changes along [-1, 1] (the reference experiment of exercise 1):
/// found on a grid of step 0.001, then narrowed down by bisection with the gate itself.
func winnerChanges(bias: [Float]) throws -> [Float] {
  let gate = try handSetGate(bias: bias)
  func winner(_ x: Float) -> Int { gate.route(Tensor(shape: [1, 1], scalars: [x])).probabilities.argmax(axis: 1)[0] }
  let grid = SyntheticData.grid(from: -1, to: 1, count: 2001)
  let winners = gate.route(grid).probabilities.argmax(axis: 1)
  let x = grid.scalars
  return (1..<winners.count).filter { winners[$0] != winners[$0 - 1] }.map { index in
    var (low, high) = (x[index - 1], x[index])
    for _ in 0..<30 {
      let middle = (low + high) / 2
      if winner(middle) == winners[index - 1] { low = middle } else { high = middle }
    }
    return (low + high) / 2
  }
}

/// The chapter's mean entropy -sum_e g_e log g_e over its full-run grid (2001 points) at `temperature`.
func referenceMeanEntropy(temperature: Float) throws -> Float {
  let grid = SyntheticData.grid(from: -1, to: 1, count: 2001)
  let probabilities = try handSetGate(bias: [-2, 0, -2], temperature: temperature).route(grid).probabilities
  return (-(probabilities * probabilities.clamp(min: 1e-30).log()).sum(axis: 1)).mean().item
}

/// Top-k through the library: `Tensor.topK` and a softmax over the chosen logits, scattered back.
func libraryTopK(_ logits: [[Float]], k: Int) -> [[Float]] {
  logits.map { row in
    let (values, indices) = Tensor(shape: [1, row.count], scalars: row).topK(k)
    var weights = [Float](repeating: 0, count: row.count)
    for (index, weight) in zip(indices, values.softmax(axis: 1).scalars) { weights[index] = weight }
    return weights
  }
}

func rows(of matrix: Tensor) -> [[Float]] {
  let columns = matrix.shape[1]
  return (0..<matrix.shape[0]).map { Array(matrix.scalars[($0 * columns)..<(($0 + 1) * columns)]) }
}
