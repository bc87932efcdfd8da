import MoE
import Testing

@Suite struct RoutingChoiceTests {
  /// Token choice, k = 2, three tokens over three experts; token 1's second slot was dropped.
  @Test func aTokenChoiceGroupsItsComputedSlotsByExpertAndSkipsDroppedOnes() {
    let weights = Tensor(rows: [[0.6, 0.4], [0.7, 0], [0.5, 0.5]])
    let choice = RoutingChoice.tokenChoice(experts: [2, 0, 0, -1, 1, 2], weights: weights)
    let assignments = ExpertAssignments(grouping: choice, tokenCount: 3, expertCount: 3)
    #expect(assignments.offsets == [0, 2, 3, 5])
    #expect(assignments.tokens == [0, 1, 2, 0, 2])
    #expect(assignments.expertsPerToken == [[0, 2], [0], [1, 2]])
    let decision = GateDecision(logits: Tensor.zeros([3, 3]), probabilities: Tensor.zeros([3, 3]), choice: choice)
    #expect(decision.combineMatrix.scalars == [0.4, 0, 0.6, 0.7, 0, 0, 0, 0.5, 0.5])
  }

  /// Expert choice, C = 2: expert 0 took tokens 2 and 0, expert 1 took token 2 and 1; token 3 is unrouted.
  @Test func anExpertChoiceKeepsEachExpertsOrderAndLeavesUnchosenTokensOut() {
    let weights = Tensor(rows: [[0.9, 0.3], [0.8, 0.2]])
    let choice = RoutingChoice.expertChoice(tokens: [2, 0, 2, 1], weights: weights)
    let assignments = ExpertAssignments(grouping: choice, tokenCount: 4, expertCount: 2)
    #expect(Array(assignments.tokens(of: 0)) == [2, 0])
    #expect(Array(assignments.tokens(of: 1)) == [2, 1])
    #expect(assignments.unroutedTokens == [3])
    let decision = GateDecision(logits: Tensor.zeros([4, 2]), probabilities: Tensor.zeros([4, 2]), choice: choice)
    #expect(decision.combineMatrix.scalars == [0.3, 0, 0, 0.2, 0.9, 0.8, 0, 0])
  }
}
