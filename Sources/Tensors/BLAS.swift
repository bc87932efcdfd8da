import CBLAS

/// C = alpha * op(A) * op(B) + beta * C for row-major matrices, through OpenBLAS's cblas_sgemm.
/// op(A) is m x k, op(B) is k x n; `transposeA` reads A as stored k x m (likewise B), so backward
/// passes never materialize a transpose. Leading dimensions default to packed storage; pass them
/// to work on a block of a larger matrix (one time step of a sequence buffer) in place.
/// With beta = 0, C may start uninitialized: every element is written.
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
  let strideA = lda ?? (transposeA ? m : k)
  let strideB = ldb ?? (transposeB ? k : n)
  // Degenerate shapes (a matrix times a vector, an outer product) go to sgemv or a plain loop:
  // OpenBLAS's sgemm packs its operands for any shape, which costs more than the product here.
  if n == 1 || m == 1 {
    // n = 1: c (column, stride ldc) = op(A) b; m = 1: c (row) = op(B)^T a.
    let vectorIsB = n == 1
    let length = vectorIsB ? m : n
    let step = vectorIsB ? rowStrideC : 1
    if beta == 0 {
      // gemv scales y by beta first; uninitialized y must not reach that product (NaN * 0).
      for index in 0..<length { c[index * step] = 0 }
    }
    if vectorIsB {
      // Stored A is [m, k] (NoTrans) or [k, m] (Trans); b's element p sits at p * ldb, or p if transposed.
      cblas_sgemv(
        CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, Int32(transposeA ? k : m), Int32(transposeA ? m : k),
        alpha, a, Int32(strideA), b, Int32(transposeB ? 1 : strideB), beta, c, Int32(step))
    } else {
      // Stored B is [k, n] (so c = B^T a) or [n, k] (c = B a); a's element p sits at p, or p * lda if transposed.
      cblas_sgemv(
        CblasRowMajor, transposeB ? CblasNoTrans : CblasTrans, Int32(transposeB ? n : k), Int32(transposeB ? k : n),
        alpha, b, Int32(strideB), a, Int32(transposeA ? strideA : 1), beta, c, Int32(step))
    }
    return
  }
  if k == 1 {
    // C = alpha a b^T + beta C: one scaled copy of b per row of C.
    let strideOfA = transposeA ? 1 : strideA
    let strideOfB = transposeB ? strideB : 1
    for row in 0..<m {
      let scale = alpha * a[row * strideOfA]
      let target = c + row * rowStrideC
      if beta == 0 {
        for column in 0..<n { target[column] = scale * b[column * strideOfB] }
      } else {
        for column in 0..<n { target[column] = beta * target[column] + scale * b[column * strideOfB] }
      }
    }
    return
  }
  cblas_sgemm(
    CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
    Int32(m), Int32(n), Int32(k), alpha, a, Int32(strideA), b, Int32(strideB), beta, c, Int32(rowStrideC))
}

/// The number of threads OpenBLAS uses for one call (set by OPENBLAS_NUM_THREADS or `setBLASThreads`).
public var blasThreads: Int { Int(openblas_get_num_threads()) }

/// Sets how many threads OpenBLAS may use per call.
public func setBLASThreads(_ count: Int) { openblas_set_num_threads(Int32(count)) }
