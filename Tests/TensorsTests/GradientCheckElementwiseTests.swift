import Tensors
import Testing

/// Finite-difference checks of the unary element-wise ops and the tensor-scalar arithmetic.
@Suite struct GradientCheckElementwiseTests {
  let shape = [3, 4]

  @Test func negate() {
    expectGradientsMatch([uniformInput(shape, seed: 1)]) { -$0[0] }
  }

  @Test func exp() {
    expectGradientsMatch([uniformInput(shape, seed: 2, low: -2, high: 2)]) { $0[0].exp() }
  }

  @Test func log() {
    expectGradientsMatch([uniformInput(shape, seed: 3, low: 0.5, high: 3)]) { $0[0].log() }
  }

  @Test func sqrt() {
    expectGradientsMatch([uniformInput(shape, seed: 4, low: 0.5, high: 3)]) { $0[0].sqrt() }
  }

  @Test func abs() {
    expectGradientsMatch([awayFromZeroInput(shape, seed: 5)]) { $0[0].abs() }
  }

  @Test func powSquare() {
    expectGradientsMatch([uniformInput(shape, seed: 6, low: -2, high: 2)]) { $0[0].pow(2) }
  }

  @Test func squared() {
    expectGradientsMatch([uniformInput(shape, seed: 7, low: -2, high: 2)]) { $0[0].squared() }
  }

  @Test(arguments: [Float(0.5), 1.5, 3, -1])
  func powGeneralExponent(exponent: Float) {
    expectGradientsMatch([uniformInput(shape, seed: 8, low: 0.5, high: 2)]) {
      $0[0].pow(exponent)
    }
  }

  @Test func relu() {
    expectGradientsMatch([awayFromZeroInput(shape, seed: 9)]) { $0[0].relu() }
  }

  @Test(arguments: [Float(0.01), 0.2])
  func leakyRelu(slope: Float) {
    expectGradientsMatch([awayFromZeroInput(shape, seed: 10)]) { $0[0].leakyRelu(slope: slope) }
  }

  @Test func sigmoid() {
    expectGradientsMatch([uniformInput(shape, seed: 11, low: -4, high: 4)]) { $0[0].sigmoid() }
  }

  @Test func tanh() {
    expectGradientsMatch([uniformInput(shape, seed: 12, low: -3, high: 3)]) { $0[0].tanh() }
  }

  @Test func softplus() {
    expectGradientsMatch([uniformInput(shape, seed: 13, low: -4, high: 4)]) { $0[0].softplus() }
  }

  @Test func clampBothBounds() {
    let x = inputAvoiding([-0.5, 0.5], shape: shape, seed: 14)
    expectGradientsMatch([x]) { $0[0].clamp(min: -0.5, max: 0.5) }
  }

  @Test func clampOneBound() {
    let x = inputAvoiding([0.25], shape: shape, seed: 15)
    expectGradientsMatch([x]) { $0[0].clamp(min: 0.25) }
    expectGradientsMatch([x]) { $0[0].clamp(max: 0.25) }
  }

  @Test func scalarAdd() {
    let x = uniformInput(shape, seed: 16)
    expectGradientsMatch([x]) { $0[0] + 1.5 }
    expectGradientsMatch([x]) { 1.5 + $0[0] }
  }

  @Test func scalarSubtract() {
    let x = uniformInput(shape, seed: 17)
    expectGradientsMatch([x]) { $0[0] - 0.75 }
    expectGradientsMatch([x]) { 0.75 - $0[0] }
  }

  @Test func scalarMultiply() {
    let x = uniformInput(shape, seed: 18)
    expectGradientsMatch([x]) { $0[0] * -2.5 }
    expectGradientsMatch([x]) { -2.5 * $0[0] }
  }

  @Test func scalarDivide() {
    let x = awayFromZeroInput(shape, seed: 19, minimum: 0.5, maximum: 2)
    expectGradientsMatch([x]) { $0[0] / 4 }
    expectGradientsMatch([x]) { 3 / $0[0] }
  }

  @Test func composition() {
    // A chain of several ops: checks that the chain rule composes through the tape.
    let x = uniformInput(shape, seed: 20, low: 0.5, high: 1.5)
    expectGradientsMatch([x]) { ((2 * $0[0]).sigmoid() * $0[0].log() + 1).tanh().pow(3) }
  }
}
