import Exercises
import MoE

/// Expert activations of a batch counted the two ways of the lesson.
public struct ActivationCounts: Equatable, Sendable, CustomStringConvertible {
  /// argmax[e]: tokens whose most probable expert is e (the slide's count).
  public var argmax: [Int]
  /// routed[e]: tokens expert e actually computed.
  public var routed: [Int]

  public init(argmax: [Int], routed: [Int]) {
    self.argmax = argmax
    self.routed = routed
  }

  public var description: String { "arg-max \(describe(argmax)), routed \(describe(routed))" }
}

/// One bin of accuracy by confidence: the inputs in it, and how many of them are correct.
public struct BinTally: Equatable, Sendable, CustomStringConvertible {
  public var count: Int
  public var correct: Int

  public init(count: Int, correct: Int) {
    self.count = count
    self.correct = correct
  }

  public var description: String { "\(correct)/\(count)" }
}

/// The answers chapter 14's exercises ask for, one function each (see `Exercises.swift`).
public struct Chapter14Answers: Sendable {
  /// Exercise 6: the mean loss per input from each batch's mean loss and size.
  public var meanLossPerInput: @Sendable (_ batchLosses: [Double], _ batchSizes: [Int]) throws -> Double
  /// Exercise 7: a Switch router's arg-max and routed counts for gate scores [N, E].
  public var switchActivations: @Sendable (_ scores: [[Float]], _ capacityFactor: Float) throws -> ActivationCounts
  /// Exercise 8: accuracy by gate confidence, bins over [1/E, 1].
  public var confidenceBins:
    @Sendable (_ confidences: [Double], _ correct: [Bool], _ bins: Int, _ experts: Int) throws -> [BinTally]

  public init(
    meanLossPerInput: @escaping @Sendable (_ batchLosses: [Double], _ batchSizes: [Int]) throws -> Double,
    switchActivations: @escaping @Sendable (_ scores: [[Float]], _ capacityFactor: Float) throws -> ActivationCounts,
    confidenceBins:
      @escaping @Sendable (_ confidences: [Double], _ correct: [Bool], _ bins: Int, _ experts: Int) throws -> [BinTally]
  ) {
    self.meanLossPerInput = meanLossPerInput
    self.switchActivations = switchActivations
    self.confidenceBins = confidenceBins
  }
}

/// Chapter 14's checks: the mean per input against per-row losses drawn at random (whose batch means
/// the check computes), the two counts against `SwitchRouter`'s routing record, and the bins against
/// the library's `accuracyByConfidence`.
public func chapter14Exercises(_ answers: Chapter14Answers) -> [Exercise] {
  [
    Exercise(number: 6, title: "the mean loss per input from batch means and batch sizes", kind: .code) {
      // The lesson's test set: seven batches of 64 with mean 0.1 and a last batch of 3 with mean 2.
      var cases: [([Double], [Int])] = [
        ([Double](repeating: 0.1, count: 7) + [2], [Int](repeating: 64, count: 7) + [3]),
        ([0.5], [10]),  // one batch: its mean
        ([1, 3], [1, 3]),  // (1 * 1 + 3 * 3) / 4 = 2.5, not the mean of means 2
      ]
      var random = CheckRandom(seed: 141)
      for _ in 0..<20 {
        let sizes = (0..<random.int(in: 1...6)).map { _ in random.int(in: 1...40) }
        let rows = sizes.map { size in (0..<size).map { _ in Double(random.float(in: 0...3)) } }
        cases.append((rows.map { $0.reduce(0, +) / Double($0.count) }, sizes))
      }
      for (losses, sizes) in cases {
        let expected = zip(losses, sizes).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(sizes.reduce(0, +))
        try expectClose(
          try answers.meanLossPerInput(losses, sizes), expected, tolerance: 1e-9,
          input: "for batch means \(describe(losses)) of batches of \(describe(sizes))", name: "mean per input")
      }
    },
    Exercise(number: 7, title: "a Switch router's activations, counted by arg-max and as routed", kind: .code) {
      var cases: [([[Float]], Float)] = [
        // Four tokens all preferring expert 0 of two, capacity ceil(1 * 4 / 2) = 2: two dropped.
        ([[2, 0], [3, 1], [1, 0], [5, 2]], 1),
        ([[2, 0], [3, 1], [1, 0], [5, 2]], 2),  // room for all: the counts agree
        ([[0.5, 0.5, 0], [0, 1, 0], [0, 0, 1]], 1),  // a tie goes to the lower expert
        ([[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0]], 0.5),  // capacity ceil(0.5 * 4 / 3) = 1
      ]
      var random = CheckRandom(seed: 142)
      for _ in 0..<30 {
        let (tokens, experts) = (random.int(in: 1...20), random.int(in: 2...6))
        let factors: [Float] = [0.5, 1, 1.25, 2]
        cases.append((random.matrix(rows: tokens, columns: experts, in: -2...2), factors[random.int(in: 0...3)]))
      }
      for (scores, factor) in cases {
        try expectEqual(
          try answers.switchActivations(scores, factor), try switchReference(scores, capacityFactor: factor),
          input: "for scores \(describe(scores)) and capacity factor \(describe(factor))", name: "counts",
          verb: "are")
      }
    },
    Exercise(number: 8, title: "accuracy by gate confidence in bins over [1/E, 1]", kind: .code) {
      var cases: [([Double], [Bool], Int, Int)] = [
        // Four experts, three bins of 0.25 from 0.25: a confidence of 1 belongs to the last bin.
        ([0.3, 0.4, 0.6, 0.9, 1.0, 0.95], [false, true, true, true, true, false], 3, 4),
        ([0.5, 0.75, 1], [true, true, false], 2, 2),  // edges: 0.75 opens the second bin
        ([0.125, 0.2, 0.99], [true, false, true], 1, 8),  // one bin holds everything
      ]
      var random = CheckRandom(seed: 143)
      for _ in 0..<20 {
        let experts = random.int(in: 2...10)
        let count = random.int(in: 1...30)
        let confidences = (0..<count).map { _ in Double(random.float(in: 1 / Float(experts)...1)) }
        let correct = (0..<count).map { _ in random.int(in: 0...1) == 1 }
        cases.append((confidences, correct, random.int(in: 1...10), experts))
      }
      for (confidences, correct, bins, experts) in cases {
        let expected = try accuracyByConfidence(
          confidences: confidences, correct: correct, bins: bins, lower: 1 / Double(experts), upper: 1
        ).map { BinTally(count: $0.count, correct: $0.correct) }
        try expectEqual(
          try answers.confidenceBins(confidences, correct, bins, experts), expected,
          input:
            "for confidences \(describe(confidences)), correct \(correct), \(bins) bins and \(experts) experts",
          name: "bins (correct/inputs)", verb: "are", describe: { "\($0)" })
      }
    },
  ]
}

/// A `SwitchRouter` whose scoring layer is the identity (weights 1 on the diagonal, biases 0), so
/// that its logits are the given scores, routes the batch; its record gives both counts.
func switchReference(_ scores: [[Float]], capacityFactor: Float) throws -> ActivationCounts {
  let experts = scores[0].count
  var generator = SeededGenerator(seed: 14)
  let router = try SwitchRouter(
    inputSize: experts, expertCount: experts, capacityFactor: capacityFactor, using: &generator)
  router.scores.weight.assign(
    Tensor(
      shape: [experts, experts], scalars: (0..<(experts * experts)).map { $0 / experts == $0 % experts ? 1 : 0 }))
  router.scores.bias.assign(Tensor(shape: [experts], scalars: [Float](repeating: 0, count: experts)))
  let input = Tensor(shape: [scores.count, experts], scalars: scores.flatMap { $0 })
  let decision = withoutGradients { router.route(input) }
  var argmax = [Int](repeating: 0, count: experts)
  for expert in decision.probabilities.argmax(axis: 1) { argmax[expert] += 1 }
  return ActivationCounts(argmax: argmax, routed: decision.assignments.tokensPerExpert)
}
