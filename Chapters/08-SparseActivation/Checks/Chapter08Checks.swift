import Exercises
import MoE

/// What one routing rule did with a batch: how many tokens each expert got, and how many tokens got
/// no expert or more than one.
public struct RoutingCounts: Equatable, Sendable, CustomStringConvertible {
  /// load[e]: the number of tokens expert e computes.
  public var load: [Int]
  public var tokensWithNoExpert: Int
  /// Tokens computed by two experts or more.
  public var tokensWithSeveralExperts: Int

  public init(load: [Int], tokensWithNoExpert: Int, tokensWithSeveralExperts: Int) {
    self.load = load
    self.tokensWithNoExpert = tokensWithNoExpert
    self.tokensWithSeveralExperts = tokensWithSeveralExperts
  }

  /// The same counts read from a routing decision of the library.
  init(_ assignments: ExpertAssignments) {
    let perToken = assignments.expertsPerToken.map(\.count)
    self.init(
      load: assignments.tokensPerExpert, tokensWithNoExpert: perToken.filter { $0 == 0 }.count,
      tokensWithSeveralExperts: perToken.filter { $0 > 1 }.count)
  }

  public var description: String {
    "load \(describe(load)), \(tokensWithNoExpert) with no expert, \(tokensWithSeveralExperts) with several"
  }
}

/// The answers chapter 8's exercises ask for, one function each (see `Exercises.swift`).
public struct Chapter08Answers: Sendable {
  /// Exercise 6: token choice (top-k per token) on gate scores [N, E].
  public var tokenChoice: @Sendable (_ scores: [[Float]], _ k: Int) throws -> RoutingCounts
  /// Exercise 7: expert choice (top-C per expert) on the same scores.
  public var expertChoice: @Sendable (_ scores: [[Float]], _ capacity: Int) throws -> RoutingCounts
  /// Exercise 8: multiply-adds per input of a top-k mixture with sparse dispatch.
  public var sparseMultiplyAdds:
    @Sendable (_ experts: Int, _ k: Int, _ inputSize: Int, _ hiddenSize: Int, _ outputSize: Int) throws -> Int

  public init(
    tokenChoice: @escaping @Sendable (_ scores: [[Float]], _ k: Int) throws -> RoutingCounts,
    expertChoice: @escaping @Sendable (_ scores: [[Float]], _ capacity: Int) throws -> RoutingCounts,
    sparseMultiplyAdds:
      @escaping @Sendable (_ experts: Int, _ k: Int, _ inputSize: Int, _ hiddenSize: Int, _ outputSize: Int) throws
      -> Int
  ) {
    self.tokenChoice = tokenChoice
    self.expertChoice = expertChoice
    self.sparseMultiplyAdds = sparseMultiplyAdds
  }
}

/// Chapter 8's checks: token choice against `TopKGate`, expert choice against the selection
/// `ExpertChoiceRouter` makes, both read through the library's `ExpertAssignments`, and the
/// multiply-adds against `ExpertScoringLayer` and `FeedForwardExpert`'s own counts.
public func chapter08Exercises(_ answers: Chapter08Answers) -> [Exercise] {
  [
    Exercise(number: 6, title: "token choice: the load and the tokens per expert count of top-k routing", kind: .code) {
      var cases: [([[Float]], Int)] = [
        ([[0.9, 0.8], [0.7, 0.6], [0.1, 0.2]], 1),  // the batch of exercise 7: two tokens prefer expert 0
        ([[0.5, 0.5, 0], [0.2, 0.2, 0.2]], 1),  // ties go to the lower expert
        ([[0.3, 0.3, 0.3], [0.1, 0.4, 0.4]], 2),  // ties within the k chosen and at the border
        ([[0.1, 0.7, 0.2], [0.6, 0.3, 0.1]], 3),  // k = E: every token to every expert
      ]
      var random = CheckRandom(seed: 81)
      for _ in 0..<30 {
        let (tokens, experts) = (random.int(in: 1...12), random.int(in: 2...6))
        cases.append((random.matrix(rows: tokens, columns: experts, in: 0...1), random.int(in: 1...experts)))
      }
      for (scores, k) in cases {
        try expectEqual(
          try answers.tokenChoice(scores, k), try tokenChoiceReference(scores, k: k),
          input: "for scores \(describe(scores)) and k = \(k)", name: "token choice", verb: "gives")
      }
    },
    Exercise(number: 7, title: "expert choice: the load and the tokens with no or several experts", kind: .code) {
      var cases: [([[Float]], Int)] = [
        ([[0.9, 0.8], [0.7, 0.6], [0.1, 0.2]], 1),  // both experts take token 0; tokens 1 and 2 get none
        ([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]], 2),  // ties go to the lower token
        ([[0.5, 0.9], [0.5, 0.1]], 1),  // expert 0's tie decides whether token 1 gets an expert
        ([[0.2, 0.9, 0.4], [0.8, 0.1, 0.3], [0.5, 0.6, 0.7]], 1),  // every token exactly one expert
        ([[0.1, 0.7], [0.6, 0.3]], 2),  // capacity = N: every expert takes every token
      ]
      var random = CheckRandom(seed: 82)
      for _ in 0..<30 {
        let (tokens, experts) = (random.int(in: 1...12), random.int(in: 2...6))
        cases.append((random.matrix(rows: tokens, columns: experts, in: 0...1), random.int(in: 1...tokens)))
      }
      for (scores, capacity) in cases {
        try expectEqual(
          try answers.expertChoice(scores, capacity), expertChoiceReference(scores, capacity: capacity),
          input: "for scores \(describe(scores)) and capacity C = \(capacity)", name: "expert choice", verb: "gives")
      }
    },
    Exercise(number: 8, title: "multiply-adds per input of a top-k mixture with sparse dispatch", kind: .code) {
      var random = CheckRandom(seed: 83)
      // The chapter's largest mixture first, then k = E and a single expert.
      var cases: [(Int, Int, Int, Int, Int)] = [(64, 2, 64, 32, 10), (4, 4, 8, 5, 3), (1, 1, 3, 2, 1)]
      for _ in 0..<20 {
        let experts = random.int(in: 1...64)
        cases.append(
          (
            experts, random.int(in: 1...experts), random.int(in: 1...100), random.int(in: 1...64),
            random.int(in: 1...20)
          ))
      }
      for (experts, k, inputs, hidden, outputs) in cases {
        try expectEqual(
          try answers.sparseMultiplyAdds(experts, k, inputs, hidden, outputs),
          try librarySparseMultiplyAdds(experts, k, inputs, hidden, outputs),
          input: "for E = \(experts), k = \(k) and experts \(inputs)-\(hidden)-\(outputs)", name: "multiply-adds",
          verb: "are")
      }
    },
  ]
}

/// A `TopKGate` whose scoring layer is the identity (weights 1 on the diagonal, biases 0), so that its
/// logits are the given scores exactly, routes the batch; its assignments give the counts.
func tokenChoiceReference(_ scores: [[Float]], k: Int) throws -> RoutingCounts {
  let experts = scores[0].count
  var generator = SeededGenerator(seed: 8)
  let gate = try TopKGate(inputSize: experts, expertCount: experts, k: k, using: &generator)
  gate.scores.weight.assign(
    Tensor(
      shape: [experts, experts],
      scalars: (0..<(experts * experts)).map { $0 / experts == $0 % experts ? 1 : 0 }))
  gate.scores.bias.assign(Tensor(shape: [experts], scalars: [Float](repeating: 0, count: experts)))
  let input = Tensor(shape: [scores.count, experts], scalars: scores.flatMap { $0 })
  return RoutingCounts(withoutGradients { gate.route(input) }.assignments)
}

/// The selection of `ExpertChoiceRouter` applied to the scores themselves (the router first takes the
/// softmax of its logits; here the scores are given): each expert's `capacity` largest, ties to the
/// lower token.
func expertChoiceReference(_ scores: [[Float]], capacity: Int) -> RoutingCounts {
  let matrix = Tensor(shape: [scores.count, scores[0].count], scalars: scores.flatMap { $0 })
  let (weights, tokens) = matrix.transposed().topK(capacity)
  let decision = GateDecision(
    logits: matrix, probabilities: matrix, choice: .expertChoice(tokens: tokens, weights: weights))
  return RoutingCounts(decision.assignments)
}

/// The gate's and k experts' multiply-adds, as the library counts them for the chapter's table.
func librarySparseMultiplyAdds(_ experts: Int, _ k: Int, _ inputs: Int, _ hidden: Int, _ outputs: Int) throws -> Int {
  var generator = SeededGenerator(seed: 8)
  let gate = try ExpertScoringLayer(inputSize: inputs, expertCount: experts, using: &generator)
  let expert = FeedForwardExpert(inputSize: inputs, hiddenSize: hidden, outputSize: outputs, using: &generator)
  return gate.multiplyAddsPerInput + k * expert.multiplyAddsPerInput
}
