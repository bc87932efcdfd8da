import Tensors
import Testing

/// matmul and affine against naive loops.
@Suite struct MatmulValueTests {
  /// C[i, j] = sum_p A[i, p] B[p, j] for row-major A (m x k) and B (k x n), in Double.
  static func naiveProduct(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
      for j in 0..<n {
        var total = 0.0
        for p in 0..<k { total += Double(a[i * k + p]) * Double(b[p * n + j]) }
        c[i * n + j] = Float(total)
      }
    }
    return c
  }

  @Test func handComputed2x2() {
    let a = Tensor(rows: [[1, 2], [3, 4]])
    let b = Tensor(rows: [[5, 6], [7, 8]])
    expectTensor(a.matmul(b), shape: [2, 2], [19, 22, 43, 50])
  }

  @Test func matrixTimesMatrixMatchesNaiveLoop() {
    let a = uniformInput([7, 5], seed: 700, requiresGrad: false)
    let b = uniformInput([5, 3], seed: 701, requiresGrad: false)
    let expected = Self.naiveProduct(a.scalars, b.scalars, m: 7, k: 5, n: 3)
    expectTensor(a.matmul(b), shape: [7, 3], expected)
  }

  @Test func batchedMatchesNaiveLoopPerBatch() {
    let a = uniformInput([4, 7, 5], seed: 702, requiresGrad: false)
    let b = uniformInput([4, 5, 3], seed: 703, requiresGrad: false)
    var expected: [Float] = []
    for batch in 0..<4 {
      expected += Self.naiveProduct(
        Array(a.scalars[(batch * 35)..<((batch + 1) * 35)]),
        Array(b.scalars[(batch * 15)..<((batch + 1) * 15)]), m: 7, k: 5, n: 3)
    }
    expectTensor(a.matmul(b), shape: [4, 7, 3], expected)
  }

  @Test func threeDimensionalTimesMatrixSharesTheMatrix() {
    let a = uniformInput([4, 7, 5], seed: 704, requiresGrad: false)
    let b = uniformInput([5, 3], seed: 705, requiresGrad: false)
    let expected = Self.naiveProduct(a.scalars, b.scalars, m: 28, k: 5, n: 3)
    expectTensor(a.matmul(b), shape: [4, 7, 3], expected)
  }

  @Test func emptyInnerDimensionGivesZeros() {
    let a = Tensor.zeros([2, 0])
    let b = Tensor.zeros([0, 3])
    expectTensor(a.matmul(b), shape: [2, 3], [0, 0, 0, 0, 0, 0])
  }

  @Test func identityLeavesMatrixUnchanged() {
    let a = uniformInput([4, 4], seed: 706, requiresGrad: false)
    expectTensor(a.matmul(Tensor.eye(4)), shape: [4, 4], a.scalars)
    expectTensor(Tensor.eye(4).matmul(a), shape: [4, 4], a.scalars)
  }

  @Test func handComputedGradients() {
    // L = sum(A B): dA = 1 B^T (row sums of B), dB = A^T 1 (column sums of A).
    let a = Tensor(rows: [[1, 2], [3, 4]], requiresGrad: true)
    let b = Tensor(rows: [[5, 6, 7], [8, 9, 10]], requiresGrad: true)
    a.matmul(b).sum().backward()
    #expect(a.grad?.scalars == [18, 27, 18, 27])
    #expect(b.grad?.scalars == [4, 4, 4, 6, 6, 6])
  }

  @Test func affineEqualsMatmulPlusBias() {
    let x = uniformInput([5, 4], seed: 707, requiresGrad: false)
    let weight = uniformInput([3, 4], seed: 708, requiresGrad: false)
    let bias = uniformInput([3], seed: 709, requiresGrad: false)
    let expected = x.matmul(weight.T) + bias
    expectTensor(Tensor.affine(x, weight: weight, bias: bias), shape: [5, 3], expected.scalars)
    expectTensor(
      Tensor.affine(x, weight: weight, bias: nil), shape: [5, 3], x.matmul(weight.T).scalars)
  }

  @Test func affineOn3DInput() {
    let x = uniformInput([2, 3, 4], seed: 710, requiresGrad: false)
    let weight = uniformInput([6, 4], seed: 711, requiresGrad: false)
    let bias = uniformInput([6], seed: 712, requiresGrad: false)
    let expected = x.matmul(weight.T) + bias
    expectTensor(Tensor.affine(x, weight: weight, bias: bias), shape: [2, 3, 6], expected.scalars)
  }

  @Test func affineGradientsMatchMatmulGradients() {
    let x1 = uniformInput([5, 4], seed: 713)
    let w1 = uniformInput([3, 4], seed: 714)
    let b1 = uniformInput([3], seed: 715)
    let x2 = uniformInput([5, 4], seed: 713)
    let w2 = uniformInput([3, 4], seed: 714)
    let b2 = uniformInput([3], seed: 715)
    let upstream = uniformInput([5, 3], seed: 716, requiresGrad: false)
    Tensor.affine(x1, weight: w1, bias: b1).backward(upstream)
    (x2.matmul(w2.T) + b2).backward(upstream)
    expectClose(x1.grad!.scalars, x2.grad!.scalars)
    expectClose(w1.grad!.scalars, w2.grad!.scalars)
    expectClose(b1.grad!.scalars, b2.grad!.scalars)
  }
}
