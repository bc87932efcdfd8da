import Tensors
import Testing

/// Finite-difference checks of reductions, softmax, logSoftmax and logSumExp.
@Suite struct GradientCheckReductionTests {
  static let axes = [0, 1, 2, -1]

  @Test func sumAndMeanOfAll() {
    let x = uniformInput([2, 3, 4], seed: 200)
    expectGradientsMatch([x]) { $0[0].sum() }
    expectGradientsMatch([x]) { $0[0].mean() }
  }

  @Test(arguments: axes, [false, true])
  func sumAlongAxis(axis: Int, keepDimensions: Bool) {
    let x = uniformInput([2, 3, 4], seed: 201)
    expectGradientsMatch([x]) { $0[0].sum(axis: axis, keepDimensions: keepDimensions) }
  }

  @Test(arguments: axes, [false, true])
  func meanAlongAxis(axis: Int, keepDimensions: Bool) {
    let x = uniformInput([2, 3, 4], seed: 202)
    expectGradientsMatch([x]) { $0[0].mean(axis: axis, keepDimensions: keepDimensions) }
  }

  @Test(arguments: axes, [false, true])
  func maxAndMinAlongAxis(axis: Int, keepDimensions: Bool) {
    let x = distinctInput([2, 3, 4], seed: 203)
    expectGradientsMatch([x]) { $0[0].max(axis: axis, keepDimensions: keepDimensions) }
    expectGradientsMatch([x]) { $0[0].min(axis: axis, keepDimensions: keepDimensions) }
  }

  @Test func maxAndMinOfAll() {
    let x = distinctInput([3, 4], seed: 204)
    expectGradientsMatch([x]) { $0[0].max() }
    expectGradientsMatch([x]) { $0[0].min() }
  }

  @Test(arguments: axes)
  func softmax(axis: Int) {
    let x = uniformInput([2, 3, 4], seed: 205, low: -2, high: 2)
    expectGradientsMatch([x]) { $0[0].softmax(axis: axis) }
  }

  @Test(arguments: axes)
  func logSoftmax(axis: Int) {
    let x = uniformInput([2, 3, 4], seed: 206, low: -2, high: 2)
    expectGradientsMatch([x]) { $0[0].logSoftmax(axis: axis) }
  }

  @Test(arguments: axes, [false, true])
  func logSumExp(axis: Int, keepDimensions: Bool) {
    let x = uniformInput([2, 3, 4], seed: 207, low: -2, high: 2)
    expectGradientsMatch([x]) { $0[0].logSumExp(axis: axis, keepDimensions: keepDimensions) }
  }

  @Test func softmaxFamilyAtLargeLogits() {
    // Shifted far from 0: the max-subtraction must keep the backward exact as well. The Float
    // spacing near 50 (4e-6) limits the finite differences, hence the looser tolerance.
    let x = uniformInput([3, 4], seed: 208, low: 49, high: 51)
    expectGradientsMatch([x], tolerance: 1e-2) { $0[0].softmax() }
    expectGradientsMatch([x], tolerance: 1e-2) { $0[0].logSoftmax() }
    expectGradientsMatch([x], tolerance: 1e-2) { $0[0].logSumExp() }
  }
}
