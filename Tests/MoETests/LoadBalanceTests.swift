import MoE
import Testing

@Suite struct LoadBalanceTests {
  /// Four inputs, three experts, top-1 by hand: experts [0, 0, 0, 1] with weights 0.5, 1, 1, 0.5.
  static func record() -> RoutingRecord {
    let logits = Tensor(rows: [[1, 0, 0], [2, 0, 0], [3, 0, 0], [0, 1, 0]])
    let decision = GateDecision(
      logits: logits, probabilities: logits.softmax(axis: 1),
      choice: .tokenChoice(experts: [0, 0, 0, 1], weights: Tensor(shape: [4, 1], scalars: [0.5, 1, 1, 0.5])))
    return RoutingRecord(decision: decision, expertEvaluations: 4, nested: [])
  }

  @Test func tableSixColumnsByHand() throws {
    let balance = LoadBalance(Self.record())
    #expect(balance.importance == [2.5, 0.5, 0])
    #expect(balance.load == [3, 1, 0])
    // Load 3, 1, 0: mean 4/3, variance 14/9, CV = sqrt(14)/3 / (4/3) = sqrt(14)/4.
    #expect(abs(balance.loadCoefficientOfVariation - 14.0.squareRoot() / 4) < 1e-12)
    // Importance 2.5, 0.5, 0: mean 1, variance 3.5/3.
    #expect(abs(balance.importanceCoefficientOfVariation - (3.5 / 3).squareRoot()) < 1e-7)
    #expect(abs(balance.maximumToMeanLoad - 2.25) < 1e-12)
  }

  @Test func coefficientOfVariationIsTheRootOfTheSquaredOneAndZeroWhenBalanced() throws {
    #expect(coefficientOfVariation([2, 2, 2]) == 0)
    #expect(coefficientOfVariation([]) == 0)
    let values: [Float] = [1, 4, 2, 7]
    let squared = Double(squaredCoefficientOfVariation(Tensor(values)).item)
    #expect(abs(coefficientOfVariation(values.map(Double.init)) - squared.squareRoot()) < 1e-6)
    let balanced = LoadBalance(
      RoutingRecord(
        decision: GateDecision(
          logits: Tensor.zeros([2, 2]), probabilities: Tensor.zeros([2, 2]) + 0.5,
          choice: .tokenChoice(experts: [0, 1], weights: Tensor(shape: [2, 1], scalars: [1, 1]))),
        expertEvaluations: 2, nested: []))
    #expect(balanced.maximumToMeanLoad == 1)
    #expect(balanced.importanceCoefficientOfVariation == 0)
  }
}
