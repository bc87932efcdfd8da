import Datasets
import Exercises
import MoE

/// The answers chapter 6's exercises ask for, one function each (see `Exercises.swift`).
public struct Chapter06Answers: Sendable {
  /// Exercise 5: each expert's share of the cells it wins.
  public var planeShares: @Sendable (_ winners: [Int], _ expertCount: Int) throws -> [Double]
  /// Exercise 6: I(quadrant; expert) / H(quadrant) of a quadrant-by-expert count matrix.
  public var specializationScore: @Sendable (_ matrix: [[Int]]) throws -> Double
  /// Exercise 7: Shazeer et al.'s importance loss, cv^2 of each expert's summed gate probability.
  public var importanceLoss: @Sendable (_ probabilities: [[Float]]) throws -> Float

  public init(
    planeShares: @escaping @Sendable (_ winners: [Int], _ expertCount: Int) throws -> [Double],
    specializationScore: @escaping @Sendable (_ matrix: [[Int]]) throws -> Double,
    importanceLoss: @escaping @Sendable (_ probabilities: [[Float]]) throws -> Float
  ) {
    self.planeShares = planeShares
    self.specializationScore = specializationScore
    self.importanceLoss = importanceLoss
  }
}

/// Chapter 6's checks, against the library's `shares(of:)`, `specializationScore` and `importanceLoss`.
public func chapter06Exercises(_ answers: Chapter06Answers) -> [Exercise] {
  [
    Exercise(number: 5, title: "the share of the plane won by each expert", kind: .code) {
      var random = CheckRandom(seed: 61)
      // An idle expert (the last one wins nothing) and a single cell come first: the usual slips.
      var cases: [([Int], Int)] = [([0, 1, 1, 3], 4), ([2, 2, 0, 2, 0], 4), ([0], 1)]
      for _ in 0..<50 {
        let experts = random.int(in: 1...8)
        cases.append(((0..<random.int(in: 1...40)).map { _ in random.int(in: 0...(experts - 1)) }, experts))
      }
      for (winners, experts) in cases {
        let expected = shares(of: (0..<experts).map { e in winners.filter { $0 == e }.count })
        try expectClose(
          try answers.planeShares(winners, experts), expected, tolerance: 1e-9,
          input: "for winners \(describe(winners)) and \(experts) experts", name: "shares")
      }
    },
    Exercise(number: 6, title: "the specialization score of a quadrant-by-expert matrix", kind: .code) {
      var random = CheckRandom(seed: 62)
      var cases: [[[Int]]] = [
        [[5, 0], [0, 5]],  // each expert one class: 1
        [[3, 3], [3, 3]],  // the expert says nothing: 0
        [[4, 0, 0], [4, 0, 0]],  // one expert for everything, two idle ones: 0
        [[6, 2, 0], [1, 7, 0], [0, 0, 0]],  // an empty class row and an idle expert
      ]
      for _ in 0..<40 {
        let (classes, experts) = (random.int(in: 2...4), random.int(in: 2...5))
        cases.append((0..<classes).map { _ in (0..<experts).map { _ in random.int(in: 0...9) } })
      }
      for matrix in cases {
        try expectClose(
          try answers.specializationScore(matrix), MoE.specializationScore(matrix), tolerance: 1e-6,
          input: "for the matrix \(describe(matrix))", name: "score")
      }
    },
    Exercise(number: 7, title: "the importance loss of Shazeer et al. for these gate probabilities", kind: .code) {
      var random = CheckRandom(seed: 63)
      var cases: [[[Float]]] = [
        [[0.5, 0.5], [0.5, 0.5]],  // balanced: 0
        [[1, 0, 0], [1, 0, 0]],  // everything on one expert
        [[0.25, 0.75], [0.75, 0.25]],  // unequal per input, balanced in total: 0
      ]
      for _ in 0..<40 {
        let (tokens, experts) = (random.int(in: 1...6), random.int(in: 2...5))
        cases.append(
          (0..<tokens).map { _ in
            let raw = random.floats(experts, in: 0.05...1)
            let total = raw.reduce(0, +)
            return raw.map { $0 / total }
          })
      }
      for probabilities in cases {
        try expectClose(
          try answers.importanceLoss(probabilities), libraryImportanceLoss(probabilities), tolerance: 1e-4,
          input: "for gate probabilities \(describe(probabilities))", name: "importance loss")
      }
    },
  ]
}

/// The library's importance loss of a dense gate whose weights are `probabilities`.
func libraryImportanceLoss(_ probabilities: [[Float]]) -> Float {
  let weights = Tensor(shape: [probabilities.count, probabilities[0].count], scalars: probabilities.flatMap { $0 })
  let decision = GateDecision(logits: weights, probabilities: weights, denseWeights: weights)
  let record = RoutingRecord(decision: decision, expertEvaluations: weights.count, nested: [])
  return importanceLoss(record).item
}
