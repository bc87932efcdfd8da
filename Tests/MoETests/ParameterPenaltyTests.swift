import MoE
import Testing

@Suite struct ParameterPenaltyTests {
  @Test func theL1PenaltyIsTheSumOfAbsoluteValuesOverEveryTensor() {
    // |1| + |-2| + |0.5| + |-0.25| = 3.75.
    #expect(abs(l1Penalty([Tensor([1, -2]), Tensor(rows: [[0.5, -0.25]])]).item - 3.75) < 1e-6)
    #expect(l1Penalty([]).item == 0)
  }

  @Test func theModuleVersionCoversEveryParameterIncludingTheGate() throws {
    var generator = SeededGenerator(seed: 4)
    let gate = try SoftmaxGate(inputSize: 6, expertCount: 3, using: &generator)
    let mixture = MixtureOfExperts(experts: experts(3), gate: gate)
    let byHand = mixture.parameters.flatMap(\.scalars).reduce(Float(0)) { $0 + abs($1) }
    #expect(abs(l1Penalty(mixture).item - byHand) < 1e-3)
  }

  @Test func theGradientIsTheSignOfEachWeightAndZeroAtZero() {
    let weights = Tensor([0.3, -0.7, 0, 2], requiresGrad: true)
    l1Penalty([weights]).backward()
    #expect(weights.grad!.scalars == [1, -1, 0, 1])
  }

  @Test func gradientsMatchFiniteDifferencesAwayFromZero() {
    var generator = SeededGenerator(seed: 9)
    let first = Tensor.uniform([3, 4], low: 0.1, high: 1, using: &generator, requiresGrad: true)
    let second = Tensor.uniform([5], low: -1, high: -0.1, using: &generator, requiresGrad: true)
    let report = checkGradients(of: { tensors in l1Penalty(tensors) }, at: [first, second])
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }
}
