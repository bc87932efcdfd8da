import Exercises
import MoE

/// The answers chapter 13's exercises ask for, one function each (see `Exercises.swift`).
public struct Chapter13Answers: Sendable {
  /// Exercise 6: the Switch load-balancing loss, f counting every chosen pair over N k.
  public var switchLoss: @Sendable (_ probabilities: [[Float]], _ chosen: [[Int]]) throws -> Float
  /// Exercise 7: the proximal step of L1, sign(w) max(|w| - t, 0).
  public var softThreshold: @Sendable (_ weights: [Float], _ threshold: Float) throws -> [Float]
  /// Exercise 8: one update of the auxiliary-loss-free selection bias.
  public var updatedBias: @Sendable (_ bias: [Float], _ load: [Int], _ gamma: Float) throws -> [Float]

  public init(
    switchLoss: @escaping @Sendable (_ probabilities: [[Float]], _ chosen: [[Int]]) throws -> Float,
    softThreshold: @escaping @Sendable (_ weights: [Float], _ threshold: Float) throws -> [Float],
    updatedBias: @escaping @Sendable (_ bias: [Float], _ load: [Int], _ gamma: Float) throws -> [Float]
  ) {
    self.switchLoss = switchLoss
    self.softThreshold = softThreshold
    self.updatedBias = updatedBias
  }
}

/// Chapter 13's checks: the Switch loss against `loadBalancingLoss(_:counting: .chosenExperts)`, the
/// soft threshold against its formula (with exact zeros), the bias update against
/// `BiasBalancedTopKGate.updateBias(load:)`.
public func chapter13Exercises(_ answers: Chapter13Answers) -> [Exercise] {
  [
    Exercise(number: 6, title: "the Switch load-balancing loss, counting every chosen pair", kind: .code) {
      var cases: [([[Float]], [[Int]])] = [
        ([[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]], [[0, 1], [1, 2]]),  // f = [1, 2, 1] / 4, P = [0.4, 0.4, 0.2]
        ([[0.5, 0.5], [0.5, 0.5]], [[0], [1]]),  // uniform P and f: the loss is 1
        ([[0.9, 0.05, 0.05], [0.8, 0.1, 0.1], [0.7, 0.2, 0.1]], [[0], [0], [0]]),  // every token to expert 0
      ]
      var random = CheckRandom(seed: 131)
      for _ in 0..<30 {
        let (tokens, experts) = (random.int(in: 1...10), random.int(in: 2...6))
        let k = random.int(in: 1...experts)
        let rows = random.matrix(rows: tokens, columns: experts, in: 0.01...1).map { row in
          row.map { $0 / row.reduce(0, +) }
        }
        let chosen = (0..<tokens).map { _ in
          var pool = Array(0..<experts)
          return (0..<k).map { _ in pool.remove(at: random.int(in: 0...(pool.count - 1))) }
        }
        cases.append((rows, chosen))
      }
      for (probabilities, chosen) in cases {
        try expectClose(
          try answers.switchLoss(probabilities, chosen), switchLossReference(probabilities, chosen), tolerance: 1e-4,
          input: "for probabilities \(describe(probabilities)) and chosen experts \(describe(chosen))",
          name: "Switch loss")
      }
    },
    Exercise(number: 7, title: "the proximal step of L1 (soft-thresholding)", kind: .code) {
      var cases: [([Float], Float)] = [
        ([0.5, -0.3, 0.05, -0.02, 0], 0.1),  // two weights shrink, three end at zero
        ([0.5, -0.3, 0.05], 0),  // threshold 0 changes nothing
        ([-0.1, 0.1, 0.2], 0.1),  // |w| = t ends exactly at zero
      ]
      var random = CheckRandom(seed: 132)
      for _ in 0..<30 {
        cases.append((random.floats(random.int(in: 1...8), in: -1...1), random.float(in: 0...0.5)))
      }
      for (weights, threshold) in cases {
        let input = "for weights \(describe(weights)) and threshold t = \(describe(threshold))"
        let answer = try answers.softThreshold(weights, threshold)
        try expectClose(
          answer, softThresholdReference(weights, threshold), tolerance: 1e-6, input: input, name: "weights")
        if let index = weights.indices.first(where: { abs(weights[$0]) <= threshold && answer[$0] != 0 }) {
          throw CheckFailure(
            "\(input) your weight \(index) is \(describe(answer[index])), expected exactly 0 since "
              + "|\(describe(weights[index]))| <= t")
        }
      }
    },
    Exercise(number: 8, title: "one step of auxiliary-loss-free balancing", kind: .code) {
      var cases: [([Float], [Int], Float)] = [
        ([0, 0, 0, 0], [5, 1, 3, 3], 0.1),  // mean 3: one expert over, one under, two at the mean
        ([0, 0, 0], [2, 0, 0], 0.25),  // mean 2/3, not a whole number
        ([0.3, -0.2], [4, 4], 0.5),  // balanced: nothing moves
      ]
      var random = CheckRandom(seed: 133)
      for _ in 0..<30 {
        let experts = random.int(in: 2...8)
        cases.append(
          (
            random.floats(experts, in: -1...1), (0..<experts).map { _ in random.int(in: 0...20) },
            random.float(in: 0.01...0.5)
          ))
      }
      for (bias, load, gamma) in cases {
        try expectClose(
          try answers.updatedBias(bias, load, gamma), try updatedBiasReference(bias, load, gamma), tolerance: 1e-6,
          input: "for bias \(describe(bias)), load \(describe(load)) and gamma = \(describe(gamma))",
          name: "new bias values")
      }
    },
  ]
}

/// The library's loss on a routing record made of the given probabilities and chosen experts.
func switchLossReference(_ probabilities: [[Float]], _ chosen: [[Int]]) -> Float {
  let (tokens, experts, k) = (probabilities.count, probabilities[0].count, chosen[0].count)
  let matrix = Tensor(shape: [tokens, experts], scalars: probabilities.flatMap { $0 })
  let weights = Tensor(shape: [tokens, k], scalars: [Float](repeating: 1 / Float(k), count: tokens * k))
  let decision = GateDecision(
    logits: matrix, probabilities: matrix, choice: .tokenChoice(experts: chosen.flatMap { $0 }, weights: weights))
  let record = RoutingRecord(decision: decision, expertEvaluations: tokens * k, nested: [])
  return withoutGradients { loadBalancingLoss(record, counting: .chosenExperts).item }
}

/// sign(w) max(|w| - t, 0), element by element.
func softThresholdReference(_ weights: [Float], _ threshold: Float) -> [Float] {
  weights.map { weight in
    let shrunk = max(abs(weight) - threshold, 0)
    return weight < 0 ? -shrunk : shrunk
  }
}

/// `BiasBalancedTopKGate.updateBias(load:)` applied to a gate whose bias is `bias`.
func updatedBiasReference(_ bias: [Float], _ load: [Int], _ gamma: Float) throws -> [Float] {
  var generator = SeededGenerator(seed: 13)
  let gate = try BiasBalancedTopKGate(
    inputSize: 1, expertCount: bias.count, k: 1, updateRate: gamma, using: &generator)
  gate.selectionBias.value = Tensor(shape: [bias.count], scalars: bias)
  try gate.updateBias(load: load)
  return gate.selectionBias.value.scalars
}
