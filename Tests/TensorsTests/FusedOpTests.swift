import Tensors
import Testing

/// The fused ops against the compositions they replace: the same values and gradients bit for bit
/// (the chapters' printed numbers depend on it), and finite-difference checks of their own.
@Suite struct FusedOpTests {
  /// Values and gradients of `body`, after a backward with the given seed gradient.
  private func valueAndGradients(
    _ a: [Float], _ b: [Float], shape: [Int], seed: Float, needB: Bool, _ body: (Tensor, Tensor) -> Tensor
  ) -> (value: UInt32, da: [UInt32], db: [UInt32]?) {
    let x = Tensor(shape: shape, scalars: a, requiresGrad: true)
    let y = Tensor(shape: shape, scalars: b, requiresGrad: needB)
    let loss = body(x, y)
    loss.backward(Tensor(seed))
    return (loss.item.bitPattern, x.grad!.scalars.map(\.bitPattern), y.grad?.scalars.map(\.bitPattern))
  }

  @Test(arguments: [[1], [7], [64, 5], [1000, 1], [3, 4, 5]])
  func meanSquaredDifferenceIsTheCompositionBitForBit(shape: [Int]) {
    var generator = SeededGenerator(seed: UInt64(shape.reduce(1, *)))
    let count = shape.reduce(1, *)
    var a = Tensor.normal([count], standardDeviation: 3, using: &generator).scalars
    let b = Tensor.normal([count], using: &generator).scalars
    a[0] = b[0]  // a zero difference: signed zeros must match too
    for seed: Float in [1, -0.37, 0] {
      for needB in [false, true] {
        let fused = valueAndGradients(a, b, shape: shape, seed: seed, needB: needB) {
          Tensor.meanSquaredDifference($0, $1)
        }
        let composed = valueAndGradients(a, b, shape: shape, seed: seed, needB: needB) {
          ($0 - $1).squared().mean()
        }
        #expect(fused.value == composed.value)
        #expect(fused.da == composed.da)
        #expect(fused.db == composed.db)
      }
    }
  }

  @Test func meanSquaredDifferenceGradients() {
    let x = uniformInput([3, 4], seed: 310)
    let y = uniformInput([3, 4], seed: 311)
    expectGradientsMatch([x, y]) { Tensor.meanSquaredDifference($0[0], $0[1]) }
    expectGradientsMatch([x]) { Tensor.meanSquaredDifference($0[0], $0[0]) }
  }

  @Test func sumAlongTheLastAxisIsTheGeneralLoopBitForBit() {
    var generator = SeededGenerator(seed: 312)
    let x = Tensor.normal([37, 10], using: &generator)
    let rows = x.sum(axis: 1, keepDimensions: true)
    for row in 0..<37 {
      var total: Float = 0
      for column in 0..<10 { total += x.scalars[row * 10 + column] }
      #expect(rows.scalars[row].bitPattern == total.bitPattern)
    }
    #expect(rows.shape == [37, 1])
  }
}
