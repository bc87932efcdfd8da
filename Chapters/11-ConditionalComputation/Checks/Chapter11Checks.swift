import Exercises
import MoE

/// The answers chapter 11's exercises ask for, one function each (see `Exercises.swift`).
public struct Chapter11Answers: Sendable {
  /// Exercise 6: experts run per input by a threshold gate, from the gate weights [N, E].
  public var expertsRun: @Sendable (_ weights: [[Float]], _ threshold: Float) throws -> [Int]
  /// Exercise 7: the threshold mixture's output [N, O] from the weights and the experts' outputs [E][N][O].
  public var thresholdMixtureOutput:
    @Sendable (_ weights: [[Float]], _ expertOutputs: [[[Float]]], _ threshold: Float, _ renormalizes: Bool) throws
      -> [[Float]]
  /// Exercise 8: the largest threshold that still runs a given number of pairs.
  public var thresholdForBudget: @Sendable (_ weights: [[Float]], _ evaluations: Int) throws -> Float

  public init(
    expertsRun: @escaping @Sendable (_ weights: [[Float]], _ threshold: Float) throws -> [Int],
    thresholdMixtureOutput:
      @escaping @Sendable (
        _ weights: [[Float]], _ expertOutputs: [[[Float]]], _ threshold: Float, _ renormalizes: Bool
      ) throws -> [[Float]],
    thresholdForBudget: @escaping @Sendable (_ weights: [[Float]], _ evaluations: Int) throws -> Float
  ) {
    self.expertsRun = expertsRun
    self.thresholdMixtureOutput = thresholdMixtureOutput
    self.thresholdForBudget = thresholdForBudget
  }
}

/// A batch of gate weights for the checks: either written by hand (rows adding up to 1, ties with
/// tau on purpose), or the softmax of random scores, in which case the reference routes the scores
/// themselves through a `ThresholdGate` and sees exactly the weights the answer is given.
struct GateBatch {
  let weights: [[Float]]
  let scores: [[Float]]?

  /// softmax(scores), computed as the gate computes it.
  init(scores: [[Float]]) {
    let logits = Tensor(shape: [scores.count, scores[0].count], scalars: scores.flatMap { $0 })
    let probabilities = logits.softmax(axis: 1).scalars
    let experts = scores[0].count
    weights = scores.indices.map { Array(probabilities[($0 * experts)..<(($0 + 1) * experts)]) }
    self.scores = scores
  }

  init(weights: [[Float]]) {
    self.weights = weights
    scores = nil
  }

  static func random(_ random: inout CheckRandom, rows: ClosedRange<Int>, experts: ClosedRange<Int>) -> GateBatch {
    // Scores spread over [-3, 3] give weights from nearly 0 to nearly 1.
    GateBatch(scores: random.matrix(rows: random.int(in: rows), columns: random.int(in: experts), in: -3...3))
  }

  var expertCount: Int { weights[0].count }
}

/// The decision of a `ThresholdGate` whose scoring layer is the identity, on the batch's scores.
func thresholdDecision(_ batch: GateBatch, threshold: Float, renormalizes: Bool) throws -> GateDecision {
  guard let scores = batch.scores else { preconditionFailure("hand-written batches have hand-derived answers") }
  let experts = batch.expertCount
  var generator = SeededGenerator(seed: 11)
  let gate = try ThresholdGate(
    inputSize: experts, expertCount: experts, threshold: threshold, renormalizes: renormalizes, using: &generator)
  gate.scores.weight.assign(
    Tensor(shape: [experts, experts], scalars: (0..<(experts * experts)).map { $0 / experts == $0 % experts ? 1 : 0 }))
  gate.scores.bias.assign(Tensor(shape: [experts], scalars: [Float](repeating: 0, count: experts)))
  let input = Tensor(shape: [scores.count, experts], scalars: scores.flatMap { $0 })
  return withoutGradients { gate.route(input) }
}

/// Pairs (input, expert) the threshold gate runs on the batch at `threshold`.
func libraryEvaluations(_ batch: GateBatch, threshold: Float) throws -> Int {
  try thresholdDecision(batch, threshold: threshold, renormalizes: false).assignments.count
}

/// Chapter 11's checks: the experts run and the output against `ThresholdGate`'s routing and combine
/// weights, the budget's threshold by the property that defines it.
public func chapter11Exercises(_ answers: Chapter11Answers) -> [Exercise] {
  [
    Exercise(number: 6, title: "experts run per input by a threshold gate", kind: .code) {
      // Hand-written first: a weight equal to tau runs; tau = 0 runs every expert.
      let handCases: [([[Float]], Float, [Int])] = [
        ([[0.6, 0.3, 0.1]], 0.3, [2]),
        ([[0.25, 0.25, 0.25, 0.25]], 0.25, [4]),
        ([[0.7, 0.2, 0.1], [0.05, 0.05, 0.9]], 0, [3, 3]),
        ([[0.5, 0.5], [1, 0]], 0.6, [0, 1]),
      ]
      for (weights, threshold, expected) in handCases {
        try expectEqual(
          try answers.expertsRun(weights, threshold), expected,
          input: "for weights \(describe(weights)) and tau = \(describe(threshold))", name: "experts run", verb: "are",
          describe: describe)
      }
      var random = CheckRandom(seed: 111)
      for _ in 0..<30 {
        let batch = GateBatch.random(&random, rows: 1...10, experts: 2...6)
        let threshold = random.float(in: 0...0.6)
        let expected = try thresholdDecision(batch, threshold: threshold, renormalizes: false)
          .assignments.expertsPerToken.map(\.count)
        try expectEqual(
          try answers.expertsRun(batch.weights, threshold), expected,
          input: "for weights \(describe(batch.weights)) and tau = \(describe(threshold))", name: "experts run",
          verb: "are", describe: describe)
      }
    },
    Exercise(number: 7, title: "the threshold mixture's output, weights kept or renormalized", kind: .code) {
      // One input, three experts with outputs 1, 2 and 4; tau = 0.2 keeps the first two:
      // kept 0.6 * 1 + 0.3 * 2 = 1.2, renormalized (0.6 * 1 + 0.3 * 2) / 0.9 = 4/3; tau = 0.7 keeps none.
      let hand: [[Float]] = [[0.6, 0.3, 0.1]]
      let handOutputs: [[[Float]]] = [[[1]], [[2]], [[4]]]
      let handCases: [(Float, Bool, [[Float]])] = [(0.2, false, [[1.2]]), (0.2, true, [[4.0 / 3]]), (0.7, true, [[0]])]
      for (threshold, renormalizes, expected) in handCases {
        try expectClose(
          try answers.thresholdMixtureOutput(hand, handOutputs, threshold, renormalizes), expected, tolerance: 1e-5,
          input: "for weights \(describe(hand)), expert outputs 1, 2 and 4, tau = \(describe(threshold)) and "
            + "renormalizes = \(renormalizes)", name: "outputs")
      }
      var random = CheckRandom(seed: 112)
      for trial in 0..<30 {
        let batch = GateBatch.random(&random, rows: 1...8, experts: 2...5)
        let width = random.int(in: 1...3)
        let outputs = (0..<batch.expertCount).map { _ in
          random.matrix(rows: batch.weights.count, columns: width, in: -2...2)
        }
        let threshold = random.float(in: 0...0.6)
        let renormalizes = trial % 2 == 1
        let combine = try thresholdDecision(batch, threshold: threshold, renormalizes: renormalizes).combineMatrix
        let expected = Tensor.weightedSum(
          outputs.map { Tensor(shape: [batch.weights.count, width], scalars: $0.flatMap { $0 }) }, weights: combine)
        let rows = (0..<batch.weights.count).map { Array(expected.scalars[($0 * width)..<(($0 + 1) * width)]) }
        try expectClose(
          try answers.thresholdMixtureOutput(batch.weights, outputs, threshold, renormalizes), rows, tolerance: 1e-5,
          input: "for weights \(describe(batch.weights)), tau = \(describe(threshold)) and renormalizes = "
            + "\(renormalizes)", name: "outputs")
      }
    },
    Exercise(number: 8, title: "the largest threshold that keeps a budget of evaluations", kind: .code) {
      var random = CheckRandom(seed: 113)
      var cases: [(GateBatch, Int)] = []
      for _ in 0..<30 {
        let batch = GateBatch.random(&random, rows: 1...10, experts: 2...6)
        cases.append((batch, random.int(in: 1...(batch.weights.count * batch.expertCount))))
      }
      // A quarter of the evaluations of a batch of 8 x 4, as in the lesson's exercise 5; then every pair.
      let quarter = GateBatch.random(&random, rows: 8...8, experts: 4...4)
      cases.insert((quarter, 8), at: 0)
      cases.insert((quarter, 32), at: 1)
      for (batch, budget) in cases {
        let input = "for weights \(describe(batch.weights)) and a budget of \(budget) evaluations"
        let tau = try answers.thresholdForBudget(batch.weights, budget)
        guard tau >= 0 && tau <= 1 else {
          throw CheckFailure("\(input) your tau is \(describe(tau)), outside [0, 1]")
        }
        let kept = try libraryEvaluations(batch, threshold: tau)
        if kept < budget {
          throw CheckFailure("\(input) your tau = \(describe(tau)) runs \(kept) pairs, fewer than \(budget)")
        }
        if tau < 1, try libraryEvaluations(batch, threshold: tau.nextUp) >= budget {
          throw CheckFailure(
            "\(input) your tau = \(describe(tau)) is not the largest: the next float above it still runs "
              + "\(try libraryEvaluations(batch, threshold: tau.nextUp)) pairs")
        }
      }
    },
  ]
}
