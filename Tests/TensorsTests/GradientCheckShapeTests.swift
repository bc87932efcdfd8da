import Tensors
import Testing

/// Finite-difference checks of the ops that move elements around.
@Suite struct GradientCheckShapeTests {
  @Test func reshape() {
    let x = uniformInput([2, 3, 4], seed: 300)
    expectGradientsMatch([x]) { $0[0].reshaped([6, 4]) }
    expectGradientsMatch([x]) { $0[0].reshaped([4, -1]) }
    expectGradientsMatch([x]) { $0[0].flattened() }
    // Reshape feeding an op whose gradient is not uniform.
    expectGradientsMatch([x]) { $0[0].reshaped([3, 8]).softmax() }
  }

  @Test(arguments: [[2, 0, 1], [1, 0, 2], [0, 2, 1], [2, 1, 0]])
  func permute(order: [Int]) {
    let x = uniformInput([2, 3, 4], seed: 301)
    expectGradientsMatch([x]) { $0[0].permuted(order) }
  }

  @Test func transpose() {
    let m = uniformInput([3, 5], seed: 302)
    expectGradientsMatch([m]) { $0[0].transposed() }
    expectGradientsMatch([m]) { $0[0].T }
    let x = uniformInput([2, 3, 4], seed: 303)
    expectGradientsMatch([x]) { $0[0].transposed() }
    expectGradientsMatch([x]) { $0[0].transposed(0, 2) }
  }

  @Test(arguments: [(0, 1..<3), (1, 0..<2), (2, 1..<4), (-1, 2..<3), (0, 0..<3)])
  func slice(axis: Int, range: Range<Int>) {
    let x = uniformInput([3, 4, 5], seed: 304)
    expectGradientsMatch([x]) { $0[0].slice(axis: axis, range) }
  }

  @Test func rowsSubscript() {
    let x = uniformInput([5, 3], seed: 305)
    expectGradientsMatch([x]) { $0[0][rows: 1..<4] }
  }

  @Test(arguments: [(0, 1), (1, 2), (2, 0), (-1, 3)])
  func select(axis: Int, index: Int) {
    let x = uniformInput([3, 4, 5], seed: 306)
    expectGradientsMatch([x]) { $0[0].select(axis: axis, index) }
  }

  @Test func concatenateAlongAxis0() {
    let a = uniformInput([2, 3], seed: 307)
    let b = uniformInput([1, 3], seed: 308)
    let c = uniformInput([3, 3], seed: 309)
    expectGradientsMatch([a, b, c]) { Tensor.concatenate($0, axis: 0) }
  }

  @Test func concatenateAlongAxis1() {
    let a = uniformInput([2, 3, 2], seed: 310)
    let b = uniformInput([2, 1, 2], seed: 311)
    let c = uniformInput([2, 4, 2], seed: 312)
    expectGradientsMatch([a, b, c]) { Tensor.concatenate($0, axis: 1) }
    // The same tensor twice, and a constant among them.
    let constant = uniformInput([2, 2, 2], seed: 313, requiresGrad: false)
    expectGradientsMatch([a]) { Tensor.concatenate([$0[0], constant, $0[0]], axis: 1) }
  }

  @Test(arguments: [0, 1, 2, -1])
  func stack(axis: Int) {
    let a = uniformInput([2, 3], seed: 314)
    let b = uniformInput([2, 3], seed: 315)
    let c = uniformInput([2, 3], seed: 316)
    expectGradientsMatch([a, b, c]) { Tensor.stack($0, axis: axis) }
  }

  @Test func squeezeAndUnsqueeze() {
    let x = uniformInput([3, 1, 4], seed: 317)
    expectGradientsMatch([x]) { $0[0].squeezed(axis: 1) }
    expectGradientsMatch([x]) { $0[0].squeezed() }
    expectGradientsMatch([x]) { $0[0].unsqueezed(axis: 0) }
    expectGradientsMatch([x]) { $0[0].unsqueezed(axis: 3) }
    expectGradientsMatch([x]) { $0[0].unsqueezed(axis: -1) * $0[0].squeezed().unsqueezed(axis: 1) }
  }
}
