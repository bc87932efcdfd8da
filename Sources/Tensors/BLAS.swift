import CBLAS

/// C = alpha * op(A) * op(B) + beta * C for row-major matrices, through OpenBLAS's cblas_sgemm.
/// op(A) is m x k, op(B) is k x n; `transposeA` reads A as stored k x m (likewise B), so backward
/// passes never materialize a transpose. Leading dimensions default to packed storage; pass them
/// to work on a block of a larger matrix (one time step of a sequence buffer) in place.
@inline(__always)
public func sgemm(
  transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int,
  alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil, b: UnsafePointer<Float>, ldb: Int? = nil,
  beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
) {
  if m == 0 || n == 0 { return }
  let rowStrideC = ldc ?? n
  if k == 0 {
    // BLAS leaves C untouched when k = 0; the mathematical result is beta * C.
    for row in 0..<m {
      for column in 0..<n {
        let index = row * rowStrideC + column
        c[index] = beta == 0 ? 0 : beta * c[index]
      }
    }
    return
  }
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda ?? (transposeA ? m : k)), b,
    Int32(ldb ?? (transposeB ? k : n)), beta, c, Int32(rowStrideC))
}

/// The number of threads OpenBLAS uses for one call (set by OPENBLAS_NUM_THREADS or `setBLASThreads`).
public var blasThreads: Int { Int(openblas_get_num_threads()) }

/// Sets how many threads OpenBLAS may use per call.
public func setBLASThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }
