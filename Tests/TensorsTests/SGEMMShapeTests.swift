import Tensors
import Testing

/// The sgemm wrapper against a plain triple loop, for every transpose pair, padded leading
/// dimensions, beta 0 over garbage (NaN) and beta 0.5, including the shapes it sends to sgemv or
/// a loop (m = 1, n = 1, k = 1) instead of cblas_sgemm.
@Suite struct SGEMMShapeTests {
  @Test(arguments: [(1, 5, 3), (4, 1, 3), (4, 5, 1), (1, 1, 3), (1, 4, 1), (3, 1, 1), (3, 4, 2)])
  func matchesReference(shape: (Int, Int, Int)) {
    let (m, n, k) = shape
    var generator = SeededGenerator(seed: UInt64(m * 100 + n * 10 + k))
    for transposeA in [false, true] {
      for transposeB in [false, true] {
        for beta: Float in [0, 0.5] {
          // Stored A is [m, k] or [k, m], B is [k, n] or [n, k]; each row padded by 2.
          let (rowsA, columnsA) = transposeA ? (k, m) : (m, k)
          let (rowsB, columnsB) = transposeB ? (n, k) : (k, n)
          let (lda, ldb, ldc) = (columnsA + 2, columnsB + 2, n + 2)
          let a = (0..<rowsA * lda).map { _ in generator.nextUniform(-1, 1) }
          let b = (0..<rowsB * ldb).map { _ in generator.nextUniform(-1, 1) }
          let start = (0..<m * ldc).map { _ in beta == 0 ? Float.nan : generator.nextUniform(-1, 1) }
          var c = start
          a.withUnsafeBufferPointer { x in
            b.withUnsafeBufferPointer { y in
              c.withUnsafeMutableBufferPointer { z in
                sgemm(
                  transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 1.5,
                  a: x.baseAddress!, lda: lda, b: y.baseAddress!, ldb: ldb, beta: beta, c: z.baseAddress!, ldc: ldc)
              }
            }
          }
          for i in 0..<m {
            for j in 0..<n {
              var total: Float = 0
              for p in 0..<k {
                total += (transposeA ? a[p * lda + i] : a[i * lda + p]) * (transposeB ? b[j * ldb + p] : b[p * ldb + j])
              }
              let expected = 1.5 * total + (beta == 0 ? 0 : beta * start[i * ldc + j])
              #expect(
                abs(c[i * ldc + j] - expected) < 1e-5,
                "m \(m) n \(n) k \(k) transposeA \(transposeA) transposeB \(transposeB) beta \(beta) at (\(i), \(j))")
            }
          }
        }
      }
    }
  }
}
