import MoE
import Testing

/// Expected assignments worked out by hand, in the style of flaxformer's routing tests.
@Suite struct CapacityPriorityTests {
  /// Four tokens, top-1, two experts, capacity 1. Tokens 0 and 1 choose expert 0, tokens 2 and 3
  /// expert 1; the highest probabilities are 0.6, 0.9, 0.7, 0.8.
  static var probabilities: Tensor { Tensor(rows: [[0.6, 0.4], [0.9, 0.1], [0.3, 0.7], [0.2, 0.8]]) }
  static var topOne: RoutingChoice {
    RoutingChoice.tokenChoice(experts: [0, 0, 1, 1], weights: Tensor(rows: [[0.6], [0.9], [0.7], [0.8]]))
  }

  @Test func positionServesTheFirstTokensOfTheBatch() {
    let (choice, dropped) = Self.topOne.limited(
      toCapacity: 1, expertCount: 2, priority: .position, probabilities: Self.probabilities)
    guard case .tokenChoice(let experts, let weights) = choice else {
      Issue.record("not a token choice")
      return
    }
    #expect(experts == [0, -1, 1, -1])
    #expect(weights.scalars == [0.6, 0, 0.7, 0])
    #expect(dropped == [.init(token: 1, expert: 0), .init(token: 3, expert: 1)])
  }

  @Test func probabilityServesTheSurestTokensFirst() {
    // Serving order 1 (0.9), 3 (0.8), 2 (0.7), 0 (0.6): tokens 1 and 3 fill the two experts.
    let (choice, dropped) = Self.topOne.limited(
      toCapacity: 1, expertCount: 2, priority: .probability, probabilities: Self.probabilities)
    guard case .tokenChoice(let experts, let weights) = choice else {
      Issue.record("not a token choice")
      return
    }
    #expect(experts == [-1, 0, -1, 1])
    #expect(weights.scalars == [0, 0.9, 0, 0.8])
    #expect(dropped == [.init(token: 2, expert: 1), .init(token: 0, expert: 0)])
  }

  /// Top-2 over three experts, capacity 1: token 0 chose (0, 1), token 1 (1, 0), token 2 (0, 2);
  /// highest probabilities 0.5, 0.6, 0.7. First choices are served before any second choice.
  static var topTwo: RoutingChoice {
    RoutingChoice.tokenChoice(experts: [0, 1, 1, 0, 0, 2], weights: Tensor.ones([3, 2]))
  }
  static var threeProbabilities: Tensor { Tensor(rows: [[0.5, 0.3, 0.2], [0.3, 0.6, 0.1], [0.7, 0.1, 0.2]]) }

  @Test func positionWithTwoChoicesServesRanksInTokenOrder() {
    // Rank 0: 0 -> 0 kept, 1 -> 1 kept, 2 -> 0 full. Rank 1: 0 -> 1 full, 1 -> 0 full, 2 -> 2 kept.
    let (choice, dropped) = Self.topTwo.limited(
      toCapacity: 1, expertCount: 3, priority: .position, probabilities: Self.threeProbabilities)
    guard case .tokenChoice(let experts, _) = choice else {
      Issue.record("not a token choice")
      return
    }
    #expect(experts == [0, -1, 1, -1, -1, 2])
    #expect(
      dropped == [.init(token: 2, expert: 0), .init(token: 0, expert: 1), .init(token: 1, expert: 0)])
  }

  @Test func probabilityWithTwoChoicesServesRanksBySurety() {
    // Order 2, 1, 0. Rank 0: 2 -> 0 kept, 1 -> 1 kept, 0 -> 0 full. Rank 1: 2 -> 2 kept, 1 -> 0 full,
    // 0 -> 1 full. Token 0 loses both choices.
    let (choice, dropped) = Self.topTwo.limited(
      toCapacity: 1, expertCount: 3, priority: .probability, probabilities: Self.threeProbabilities)
    guard case .tokenChoice(let experts, _) = choice else {
      Issue.record("not a token choice")
      return
    }
    #expect(experts == [-1, -1, 1, -1, 0, 2])
    #expect(
      dropped == [.init(token: 0, expert: 0), .init(token: 1, expert: 0), .init(token: 0, expert: 1)])
  }

  @Test func aSwitchRouterWithProbabilityPriorityRecordsWhoseTokensItDropped() throws {
    var generator = SeededGenerator(seed: 3)
    let router = try SwitchRouter(
      inputSize: 4, expertCount: 2, capacityFactor: 0.5, capacityPriority: .probability, using: &generator)
    let x = Tensor.normal([8, 4], using: &generator)
    let mixture = MixtureOfExperts(
      experts: FeedForwardExpert.make(count: 2, inputSize: 4, hiddenSize: 3, outputSize: 2, using: &generator),
      gate: router)
    let routing = mixture.forward(x).routing
    let highest = routing.probabilities.max(axis: 1).scalars
    // Capacity ceil(0.5 * 8 / 2) = 2: every kept token of an expert is at least as sure as every dropped one.
    for expert in 0..<2 {
      let kept = routing.assignments.tokens(of: expert).map { highest[$0] }
      let lost = routing.droppedAssignments.filter { $0.expert == expert }.map { highest[$0.token] }
      #expect(kept.count <= 2)
      if let weakestKept = kept.min(), let surestLost = lost.max() { #expect(weakestKept >= surestLost) }
    }
    #expect(routing.expertEvaluations + routing.droppedAssignments.count == 8)
  }
}
