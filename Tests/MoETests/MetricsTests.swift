import Foundation
import MoE
import Testing

@Suite struct MetricsTests {
  @Test func effectiveExpertCountIsTheNumberOfExpertsEquallyUsed() throws {
    #expect(abs(effectiveExpertCount([0.25, 0.25, 0.25, 0.25]) - 4) < 1e-12)
    #expect(effectiveExpertCount([1, 0, 0]) == 1)
    #expect(abs(utilizationEntropy([0.5, 0.5]) - log(2.0)) < 1e-12)
    #expect(shares(of: [1, 3]) == [0.25, 0.75])
  }

  @Test func specializationScoreIsOneForPureExpertsAndZeroForIndependence() throws {
    let pure = try specializationMatrix(experts: [0, 0, 1, 1, 2], labels: [2, 2, 0, 0, 1], classes: 3, expertCount: 3)
    #expect(pure == [[0, 2, 0], [0, 0, 1], [2, 0, 0]])
    #expect(abs(specializationScore(pure) - 1) < 1e-12)
    #expect(specializationScore([[5, 5], [5, 5]]) == 0)
    #expect(specializationScore([[7, 0], [3, 0]]) == 0)
    let partial = specializationScore([[8, 2], [2, 8]])
    #expect(partial > 0.2 && partial < 0.4)
  }

  @Test func accuracyAndConfusionMatrix() throws {
    let logits = Tensor(rows: [[2, 1], [0, 3], [5, 4], [1, 1]])
    #expect(predictedClasses(logits) == [0, 1, 0, 0])
    #expect(try accuracy(logits: logits, labels: [0, 1, 1, 0]) == 0.75)
    #expect(try confusionMatrix(predicted: [0, 1, 0, 0], labels: [0, 1, 1, 0], classes: 2) == [[2, 0], [1, 1]])
  }

  @Test func activationCountsByArgmaxAndByRouting() throws {
    var generator = SeededGenerator(seed: 1)
    let gate = try TopKGate(inputSize: 6, expertCount: 4, k: 2, using: &generator)
    let (_, routing) = MixtureOfExperts(experts: experts(4), gate: gate).forward(inputs(25))
    #expect(routing.activationCounts(.argmax).reduce(0, +) == 25)
    #expect(routing.activationCounts(.routed).reduce(0, +) == 50)
    // The arg-max expert is always among the two routed experts.
    for (token, chosen) in routing.expertsPerToken.enumerated() {
      #expect(chosen.contains(routing.argmaxExperts[token]))
    }
    #expect(abs(routing.utilization().reduce(0, +) - 1) < 1e-12)
  }
}
