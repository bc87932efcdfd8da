import MoE
import Testing

/// The Switch loss's two ways of counting f for a top-k router.
@Suite struct LoadBalancingCountTests {
  /// Two tokens over three experts; token 0 chose experts 0 and 1, token 1 chose experts 0 and 2.
  static func record(logits: Tensor) -> RoutingRecord {
    let probabilities = logits.softmax(axis: 1)
    let weights = Tensor(rows: [[0.6, 0.4], [0.7, 0.3]])
    let decision = GateDecision(
      logits: logits, probabilities: probabilities, choice: .tokenChoice(experts: [0, 1, 0, 2], weights: weights))
    return RoutingRecord(decision: decision, expertEvaluations: 4, nested: [])
  }

  static let logits: [[Float]] = [[2, 1, 0], [1, 0, 0.5]]

  @Test func chosenExpertsCountsEveryPairOverNTimesK() {
    let logits = Tensor(rows: Self.logits)
    let p = logits.softmax(axis: 1).scalars
    let meanProbability = (0..<3).map { (p[$0] + p[3 + $0]) / 2 }
    // f = [2, 1, 1] / 4.
    let expected = 3 * (0.5 * meanProbability[0] + 0.25 * meanProbability[1] + 0.25 * meanProbability[2])
    #expect(abs(loadBalancingLoss(Self.record(logits: logits), counting: .chosenExperts).item - expected) < 1e-6)
    // Both tokens' most probable expert is 0: f = [1, 0, 0].
    #expect(abs(loadBalancingLoss(Self.record(logits: logits)).item - 3 * meanProbability[0]) < 1e-6)
  }

  @Test func chosenExpertsIsOneWhenPairsAndProbabilitiesAreUniform() {
    // Uniform probabilities and each of the 3 experts in 2 of the 6 pairs.
    let logits = Tensor.zeros([3, 3])
    let decision = GateDecision(
      logits: logits, probabilities: logits.softmax(axis: 1),
      choice: .tokenChoice(experts: [0, 1, 1, 2, 2, 0], weights: Tensor.ones([3, 2]) * 0.5))
    let record = RoutingRecord(decision: decision, expertEvaluations: 6, nested: [])
    #expect(abs(loadBalancingLoss(record, counting: .chosenExperts).item - 1) < 1e-6)
  }

  @Test func chosenExpertsCountsPairsThatCapacityDropped() throws {
    var generator = SeededGenerator(seed: 3)
    // Capacity 0.5 of an even share drops pairs; f must still count what the router chose.
    let router = try GShardRouter(inputSize: 6, expertCount: 4, capacityFactor: 0.5, using: &generator)
    let record = MixtureOfExperts(experts: experts(4), gate: router).forward(inputs(16)).routing
    #expect(!record.droppedAssignments.isEmpty)
    var counts = [Float](repeating: 0, count: 4)
    for (expert, tokens) in record.tokensPerExpert.enumerated() { counts[expert] += Float(tokens) }
    for pair in record.droppedAssignments { counts[pair.expert] += 1 }
    #expect(counts.reduce(0, +) == 32)
    let meanProbability = record.probabilities.mean(axis: 0).scalars
    let expected = 4 * zip(counts, meanProbability).reduce(Float(0)) { $0 + $1.0 / 32 * $1.1 }
    #expect(abs(loadBalancingLoss(record, counting: .chosenExperts).item - expected) < 1e-6)
  }

  @Test func theGradientReachesTheLogitsThroughPOnly() {
    let logits = Tensor(rows: Self.logits, requiresGrad: true)
    for counting in [LoadBalancingCount.mostProbableExpert, .chosenExperts] {
      let report = checkGradients(
        of: { inputs in loadBalancingLoss(Self.record(logits: inputs[0]), counting: counting) }, at: [logits])
      #expect(report.passes(tolerance: 1e-3), "\(report)")
    }
  }
}
