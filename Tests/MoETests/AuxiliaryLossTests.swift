import Foundation
import MoE
import Testing

@Suite struct AuxiliaryLossTests {
  /// A record from given logits, as a softmax gate would make it.
  static func record(_ logits: [[Float]]) -> RoutingRecord {
    let tensor = Tensor(rows: logits)
    let probabilities = tensor.softmax(axis: 1)
    return RoutingRecord(
      decision: GateDecision(logits: tensor, probabilities: probabilities, denseWeights: probabilities),
      expertEvaluations: tensor.count, nested: [])
  }

  /// Each of 4 tokens prefers a different expert, by cyclic shifts of one row: f and P are uniform.
  static let balanced: [[Float]] = (0..<4).map { shift in (0..<4).map { [3, 1, 0.5, 0][($0 - shift + 4) % 4] } }
  static let collapsed: [[Float]] = (0..<4).map { _ in [12, 0, 0, 0] }

  @Test func loadBalancingLossIsOneWhenBalancedAndNearExpertCountWhenCollapsed() throws {
    #expect(abs(loadBalancingLoss(Self.record(Self.balanced)).item - 1) < 1e-6)
    let collapsed = loadBalancingLoss(Self.record(Self.collapsed)).item
    #expect(collapsed > 3.99 && collapsed <= 4)
  }

  @Test func importanceLossIsZeroWhenBalancedAndCoefficientOfVariationOtherwise() throws {
    #expect(abs(importanceLoss(Self.record(Self.balanced)).item) < 1e-6)
    // cv^2 of [1, 3] = variance 1 / mean^2 4.
    #expect(abs(squaredCoefficientOfVariation(Tensor([1, 3])).item - 0.25) < 1e-6)
    #expect(importanceLoss(Self.record(Self.collapsed)).item > 2.9)
  }

  @Test func loadLossIsTheSquaredCoefficientOfVariationOfTheLoad() throws {
    let logits = Tensor(rows: Self.balanced)
    func record(load: [Float]) -> RoutingRecord {
      let probabilities = logits.softmax(axis: 1)
      let decision = GateDecision(
        logits: logits, probabilities: probabilities, choice: .dense(weights: probabilities), load: Tensor(load))
      return RoutingRecord(decision: decision, expertEvaluations: 16, nested: [])
    }
    #expect(abs(try loadLoss(record(load: [2, 2, 2, 2])).item) < 1e-6)
    // Load [3, 1, 0, 0]: mean 1, variance (4 + 0 + 1 + 1) / 4 = 1.5, so cv^2 = 1.5.
    #expect(abs(try loadLoss(record(load: [3, 1, 0, 0])).item - 1.5) < 1e-5)
  }

  @Test func loadLossWithoutALoadEstimateThrows() {
    #expect(throws: MoEConfigurationError.self) { try loadLoss(Self.record(Self.balanced)) }
  }

  @Test func routerZLossMatchesTheFormula() throws {
    let logits: [[Float]] = [[0, 0], [Float(log(3.0)), 0], [2, -1]]
    let expected = [log(2.0), log(4.0), log(exp(2.0) + exp(-1.0))].map { $0 * $0 }.reduce(0, +) / 3
    #expect(abs(Double(routerZLoss(Self.record(logits)).item) - expected) < 1e-5)
  }

  @Test func gateEntropyIsLogExpertsForAUniformGateAndZeroForAOneHotGate() throws {
    #expect(abs(Double(gateEntropy(Self.record([[1, 1, 1, 1], [0, 0, 0, 0]])).item) - log(4.0)) < 1e-6)
    #expect(gateEntropy(Self.record([[200, 0, 0]])).item < 1e-6)
  }
}
