import MoE
import Testing

@Suite struct ComputeCostTests {
  /// 8 experts 4-3-2 and a top-2 gate on 5 inputs: the gate costs 4 x 8 = 32 multiply-adds per input,
  /// an expert 4 x 3 + 3 x 2 = 18. Sparse dispatch runs 5 x 2 = 10 evaluations, dense 5 x 8 = 40.
  @Test func countsTheGateOncePerInputAndEachExpertOncePerEvaluation() throws {
    var generator = SeededGenerator(seed: 2)
    let gate = try TopKGate(inputSize: 4, expertCount: 8, k: 2, using: &generator)
    let experts = FeedForwardExpert.make(count: 8, inputSize: 4, hiddenSize: 3, outputSize: 2, using: &generator)
    #expect(gate.scores.multiplyAddsPerInput == 32)
    #expect(experts[0].multiplyAddsPerInput == 18)
    let x = inputs(5, 4)
    let sparse = MixtureOfExperts(experts: experts, gate: gate, dispatch: .sparse).forward(x).routing
    let dense = MixtureOfExperts(experts: experts, gate: gate, dispatch: .dense).forward(x).routing

    let sparseCost = try ComputeCost(routing: sparse, gateMultiplyAdds: 32, expertMultiplyAdds: 18)
    #expect(sparseCost.expertEvaluations == 10)
    #expect(sparseCost.multiplyAdds == 5 * 32 + 10 * 18)
    #expect(sparseCost.expertEvaluationsPerInput == 2)
    #expect(sparseCost.multiplyAddsPerInput == 68)

    let denseCost = try ComputeCost(routing: dense, gateMultiplyAdds: 32, expertMultiplyAdds: 18)
    #expect(denseCost.expertEvaluations == 40)
    #expect(denseCost.multiplyAddsPerInput == 176)
  }

  @Test func negativeCostsAreRejected() throws {
    var generator = SeededGenerator(seed: 2)
    let gate = try TopKGate(inputSize: 4, expertCount: 2, k: 1, using: &generator)
    let routing = MixtureOfExperts(experts: experts(2, inputSize: 4), gate: gate).forward(inputs(3, 4)).routing
    #expect(throws: MoEConfigurationError.self) {
      try ComputeCost(routing: routing, gateMultiplyAdds: -1, expertMultiplyAdds: 1)
    }
  }
}
