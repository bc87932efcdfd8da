import MoE
import Testing

/// The variance, Gini and diversity losses: hand-computed values, their balanced and collapsed ends,
/// and finite-difference gradients.
@Suite struct UsageLossTests {
  /// Two inputs over three experts: shares P = (0.5, 0.3, 0.2).
  let probabilities = Tensor(shape: [2, 3], scalars: [0.6, 0.4, 0.0, 0.4, 0.2, 0.4], requiresGrad: true)

  @Test func varianceOfUsageByHand() {
    // mean P = 1/3; deviations 1/6, -1/30, -2/15; mean of squares = (1/36 + 1/900 + 4/225) / 3.
    let expected: Float = (1.0 / 36 + 1.0 / 900 + 4.0 / 225) / 3
    #expect(abs(usageVarianceLoss(probabilities: probabilities).item - expected) < 1e-7)
    #expect(usageVarianceLoss(probabilities: Tensor.full([4, 4], value: 0.25)).item == 0)
    // All on one expert of E = 4: (E - 1) / E^2.
    let collapsed = Tensor(shape: [2, 4], scalars: [1, 0, 0, 0, 1, 0, 0, 0])
    #expect(abs(usageVarianceLoss(probabilities: collapsed).item - 3.0 / 16) < 1e-7)
  }

  @Test func giniByHand() {
    // |P_i - P_j| over ordered pairs: 2 (0.2 + 0.3 + 0.1) = 1.2; G = 1.2 / (2 * 3 * 1) = 0.2.
    #expect(abs(giniLoss(probabilities: probabilities).item - 0.2) < 1e-6)
    #expect(giniLoss(probabilities: Tensor.full([3, 5], value: 0.2)).item == 0)
    let collapsed = Tensor(shape: [2, 4], scalars: [0, 0, 1, 0, 0, 0, 1, 0])
    #expect(abs(giniLoss(probabilities: collapsed).item - 0.75) < 1e-6, "(E - 1) / E")
  }

  @Test func diversityByHand() {
    // cos(g1, g2) = (0.24 + 0.08 + 0) / (|(0.6, 0.4, 0)| |(0.4, 0.2, 0.4)|) = 0.32 / (0.7211 * 0.6).
    let expected: Float = 0.32 / ((0.52 as Float).squareRoot() * 0.6)
    #expect(abs(diversityLoss(probabilities: probabilities).item - expected) < 1e-6)
    #expect(abs(diversityLoss(probabilities: Tensor.full([3, 4], value: 0.25)).item - 1) < 1e-6, "same routing")
    let disjoint = Tensor(shape: [2, 2], scalars: [1, 0, 0, 1])
    #expect(abs(diversityLoss(probabilities: disjoint).item) < 1e-7, "no expert shared")
  }

  @Test func gradientsMatchFiniteDifferences() {
    var generator = SeededGenerator(seed: 5)
    let logits = Tensor.normal([6, 4], using: &generator)
    let probabilities = Tensor(shape: [6, 4], scalars: logits.softmax(axis: 1).scalars, requiresGrad: true)
    for (name, loss) in [
      // Scaled so that their gradients are of order 1, where the check's tolerance is strict.
      ("variance", { (g: Tensor) in 100 * usageVarianceLoss(probabilities: g) }),
      ("gini", { (g: Tensor) in 10 * giniLoss(probabilities: g) }),
      ("diversity", { (g: Tensor) in diversityLoss(probabilities: g) }),
    ] as [(String, (Tensor) -> Tensor)] {
      let report = checkGradients(of: { loss($0[0]) }, at: [probabilities])
      #expect(report.passes(tolerance: 5e-3), "\(name): \(report)")
    }
  }
}
