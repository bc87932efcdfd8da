import Tensors
import Testing

/// Finite-difference checks of matmul (every form) and the fused affine map.
@Suite struct GradientCheckMatmulTests {
  @Test func matmul2D() {
    let a = uniformInput([3, 4], seed: 400)
    let b = uniformInput([4, 5], seed: 401)
    expectGradientsMatch([a, b]) { $0[0].matmul($0[1]) }
  }

  @Test func matmulBatched3D() {
    let a = uniformInput([2, 3, 4], seed: 402)
    let b = uniformInput([2, 4, 5], seed: 403)
    expectGradientsMatch([a, b]) { $0[0].matmul($0[1]) }
  }

  @Test func matmul3DBy2D() {
    let a = uniformInput([2, 3, 4], seed: 404)
    let b = uniformInput([4, 5], seed: 405)
    expectGradientsMatch([a, b]) { $0[0].matmul($0[1]) }
  }

  @Test func matmulWithOneConstantOperand() {
    let a = uniformInput([3, 4], seed: 406)
    let b = uniformInput([4, 2], seed: 407, requiresGrad: false)
    expectGradientsMatch([a]) { $0[0].matmul(b) }
    let c = uniformInput([5, 3], seed: 408, requiresGrad: false)
    expectGradientsMatch([a]) { c.matmul($0[0]) }
    #expect(b.grad == nil && c.grad == nil)
  }

  @Test func matmulOfTensorWithItsTranspose() {
    let a = uniformInput([3, 4], seed: 409)
    expectGradientsMatch([a]) { $0[0].matmul($0[0].T) }
  }

  @Test func affineWithBias() {
    let x = uniformInput([5, 4], seed: 410)
    let weight = uniformInput([3, 4], seed: 411)
    let bias = uniformInput([3], seed: 412)
    expectGradientsMatch([x, weight, bias]) {
      Tensor.affine($0[0], weight: $0[1], bias: $0[2])
    }
  }

  @Test func affineWithoutBias() {
    let x = uniformInput([5, 4], seed: 413)
    let weight = uniformInput([3, 4], seed: 414)
    expectGradientsMatch([x, weight]) { Tensor.affine($0[0], weight: $0[1], bias: nil) }
  }

  @Test func affine3DInput() {
    let x = uniformInput([2, 3, 4], seed: 415)
    let weight = uniformInput([5, 4], seed: 416)
    let bias = uniformInput([5], seed: 417)
    expectGradientsMatch([x, weight, bias]) {
      Tensor.affine($0[0], weight: $0[1], bias: $0[2])
    }
    expectGradientsMatch([x, weight]) { Tensor.affine($0[0], weight: $0[1], bias: nil) }
  }

  @Test func affineWithConstantInput() {
    // Only the parameters record gradients, as in a first layer.
    let x = uniformInput([4, 3], seed: 418, requiresGrad: false)
    let weight = uniformInput([2, 3], seed: 419)
    let bias = uniformInput([2], seed: 420)
    expectGradientsMatch([weight, bias]) { Tensor.affine(x, weight: $0[0], bias: $0[1]) }
    #expect(x.grad == nil)
  }
}

extension GradientCheckMatmulTests {
  @Test func squareMatrixTimesItself() {
    let a = uniformInput([3, 3], seed: 421)
    expectGradientsMatch([a]) { $0[0].matmul($0[0]) }
  }
}
