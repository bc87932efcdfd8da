import Testing

@testable import Tensors

@Suite struct GradientCheckMixtureTests {
  static func leaf(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -1, high: 1, using: &generator, requiresGrad: true)
  }

  @Test func weightedSumValues() {
    let a = Tensor(rows: [[1, 2], [3, 4]])
    let b = Tensor(rows: [[10, 20], [30, 40]])
    let w = Tensor(rows: [[0.5, 0.25], [0, 1]])
    #expect(Tensor.weightedSum([a, b], weights: w).scalars == [3, 6, 30, 40])
  }

  @Test func weightedSumGradients() {
    let inputs = [
      Self.leaf([5, 3], seed: 1), Self.leaf([5, 3], seed: 2), Self.leaf([5, 3], seed: 3), Self.leaf([5, 3], seed: 4),
    ]
    let report = checkGradients(
      of: { t in Tensor.weightedSum([t[1], t[2], t[3]], weights: t[0]) },
      at: [
        Self.leaf([5, 3], seed: 9), inputs[1], inputs[2], inputs[3],
      ])
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }

  @Test func weightedScatterValues() {
    let first = Tensor(rows: [[1, 1], [2, 2]])
    let second = Tensor(rows: [[5, 5]])
    let y = Tensor.weightedScatter([first, second], rows: [2, 0, 2], weights: Tensor([1, 0.5, 2]), rowCount: 4)
    #expect(y.shape == [4, 2])
    #expect(y.scalars == [1, 1, 0, 0, 11, 11, 0, 0])
  }

  @Test func weightedScatterGradients() {
    let report = checkGradients(
      of: { t in Tensor.weightedScatter([t[0], t[1]], rows: [3, 0, 3, 1, 0], weights: t[2], rowCount: 5) },
      at: [Self.leaf([2, 4], seed: 5), Self.leaf([3, 4], seed: 6), Self.leaf([5], seed: 7)])
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }

  @Test func normalCDFValuesAndGradient() {
    let y = Tensor([-1.959964, 0, 1]).normalCDF()
    #expect(abs(y.scalars[0] - 0.025) < 1e-5)
    #expect(y.scalars[1] == 0.5)
    #expect(abs(y.scalars[2] - 0.8413447) < 1e-5)
    let report = checkGradients(of: { t in t[0].normalCDF() }, at: [Self.leaf([7], seed: 8)])
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }
}
