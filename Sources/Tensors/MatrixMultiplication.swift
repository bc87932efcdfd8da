extension Tensor {
  /// Matrix product.
  /// - [m, k] x [k, n] -> [m, n]
  /// - [b, m, k] x [b, k, n] -> [b, m, n] (batched)
  /// - [b, m, k] x [k, n] -> [b, m, n] (one matrix for every batch entry)
  ///
  /// Backward: dA = dC B^T and dB = A^T dC, each one sgemm with transposed operands.
  public func matmul(_ other: Tensor) -> Tensor {
    let a = self
    let b = other
    let description = "matmul: \(a.shape) x \(b.shape)"
    switch (a.rank, b.rank) {
    case (2, 2), (3, 2):
      let k = a.shape[a.rank - 1]
      if b.shape[0] != k {
        tensorFailure("\(description): inner dimensions \(k) and \(b.shape[0]) differ")
      }
      // A 3-D left operand against one matrix is a single product over all its rows.
      let rows = a.rank == 2 ? a.shape[0] : a.shape[0] * a.shape[1]
      let n = b.shape[1]
      let outputShape = a.rank == 2 ? [a.shape[0], n] : [a.shape[0], a.shape[1], n]
      return Tensor.batchedProduct(
        a, b, batches: 1, m: rows, k: k, n: n, strideB: 0, outputShape: outputShape)
    case (3, 3):
      if a.shape[0] != b.shape[0] {
        tensorFailure("\(description): batch sizes \(a.shape[0]) and \(b.shape[0]) differ")
      }
      if a.shape[2] != b.shape[1] {
        tensorFailure("\(description): inner dimensions \(a.shape[2]) and \(b.shape[1]) differ")
      }
      let (batches, m, k, n) = (a.shape[0], a.shape[1], a.shape[2], b.shape[2])
      return Tensor.batchedProduct(
        a, b, batches: batches, m: m, k: k, n: n, strideB: k * n, outputShape: [batches, m, n])
    default:
      tensorFailure("\(description): expected 2-D or 3-D operands (2-D x 2-D, 3-D x 3-D or 3-D x 2-D)")
    }
  }

  /// Shared by all matmul forms: `batches` products of [m, k] x [k, n]; strideB = 0 reuses one B.
  private static func batchedProduct(
    _ a: Tensor, _ b: Tensor, batches: Int, m: Int, k: Int, n: Int, strideB: Int, outputShape: [Int]
  ) -> Tensor {
    // sgemm with beta 0 writes every element (also for k = 0), so the buffer starts uninitialized.
    let output = [Float](unsafeUninitializedCapacity: batches * m * n) { z, initialized in
      a.withScalars { x in
        b.withScalars { y in
          for batch in 0..<batches {
            sgemm(
              transposeA: false, transposeB: false, m: m, n: n, k: k,
              a: x.baseAddress! + batch * m * k, b: y.baseAddress! + batch * strideB,
              c: z.baseAddress! + batch * m * n)
          }
        }
      }
      initialized = batches * m * n
    }
    return Tensor(shape: outputShape, scalars: output, operation: "matmul", parents: [a, b]) { result in
      let a = result.parents[0]
      let b = result.parents[1]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        if a.requiresGrad {
          b.withScalars { y in
            a.writeOrAccumulateGradient { dx, accumulate in
              for batch in 0..<batches {
                // dA += dC B^T
                sgemm(
                  transposeA: false, transposeB: true, m: m, n: k, k: n,
                  a: g.baseAddress! + batch * m * n, b: y.baseAddress! + batch * strideB,
                  beta: accumulate ? 1 : 0, c: dx + batch * m * k)
              }
            }
          }
        }
        if b.requiresGrad {
          a.withScalars { x in
            b.writeOrAccumulateGradient { dy, accumulate in
              for batch in 0..<batches {
                // dB += A^T dC (accumulates over batches when B is shared)
                let first = !accumulate && (strideB != 0 || batch == 0)
                sgemm(
                  transposeA: true, transposeB: false, m: k, n: n, k: m,
                  a: x.baseAddress! + batch * m * k, b: g.baseAddress! + batch * m * n,
                  beta: first ? 0 : 1, c: dy + batch * strideB)
              }
            }
          }
        }
      }
    }
  }

  /// The affine map of a linear layer, y = x W^T + b, in one op (one sgemm plus the bias).
  /// `weight` is [out, in] as in PyTorch; x is [..., in]; `bias` is [out] or nil.
  /// Backward: dx = dy W, dW += dy^T x, db += column sums of dy.
  public static func affine(_ x: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    if weight.rank != 2 {
      tensorFailure("affine: weight must be 2-D [out, in], got \(weight.shape)")
    }
    let (outputs, inputs) = (weight.shape[0], weight.shape[1])
    if x.rank == 0 || x.shape[x.rank - 1] != inputs {
      tensorFailure(
        "affine: input \(x.shape) x weight^T \(weight.shape): input features \(x.shape.last ?? 0) and weight in-features \(inputs) differ"
      )
    }
    if let bias, bias.shape != [outputs] {
      tensorFailure("affine: bias of shape \(bias.shape) for weight \(weight.shape); expected [\(outputs)]")
    }
    let rows = x.count / Swift.max(inputs, 1)
    var outputShape = x.shape
    outputShape[outputShape.count - 1] = outputs
    // Every element is written: the bias rows first (then sgemm adds, beta 1) or sgemm alone (beta 0).
    let output = [Float](unsafeUninitializedCapacity: rows * outputs) { y, initialized in
      x.withScalars { input in
        affineForward(input.baseAddress!, rows: rows, weight: weight, bias: bias, into: y.baseAddress!)
      }
      initialized = rows * outputs
    }
    let parents = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor(shape: outputShape, scalars: output, operation: "affine", parents: parents) { result in
      let x = result.parents[0]
      let bias = result.parents.count == 3 ? result.parents[2] : nil
      result.gradientStorage!.withUnsafeBufferPointer { g in
        x.withScalars { input in
          func backward(into dx: UnsafeMutablePointer<Float>?, accumulate: Bool) {
            affineBackward(
              dOutput: g.baseAddress!, input: input.baseAddress!, rows: rows, weight: result.parents[1], bias: bias,
              dInput: dx, accumulateInput: accumulate)
          }
          if x.requiresGrad {
            x.writeOrAccumulateGradient { dx, accumulate in backward(into: dx, accumulate: accumulate) }
          } else {
            backward(into: nil, accumulate: false)
          }
        }
      }
    }
  }
}

/// y = x W^T + b for `rows` rows of x: the bias rows first, then sgemm adds (beta 1), or sgemm alone
/// without a bias. `affine` and `routedFeedForward` both compute their products here.
func affineForward(
  _ x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor?, into y: UnsafeMutablePointer<Float>
) {
  let (outputs, inputs) = (weight.shape[0], weight.shape[1])
  if let bias {
    bias.withScalars { b in
      for row in 0..<rows { (y + row * outputs).update(from: b.baseAddress!, count: outputs) }
    }
  }
  weight.withScalars { w in
    sgemm(
      transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x, b: w.baseAddress!,
      beta: bias == nil ? 0 : 1, c: y)
  }
}

/// The backward of `affineForward` for a block of `rows` rows: dx = dy W (into `dInput` when given), dW (+)= dy^T x,
/// db (+)= column sums of dy, each written or accumulated as the parameter's gradient requires.
func affineBackward(
  dOutput g: UnsafePointer<Float>, input x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor?,
  dInput: UnsafeMutablePointer<Float>?, accumulateInput: Bool
) {
  let (outputs, inputs) = (weight.shape[0], weight.shape[1])
  if let dInput {
    weight.withScalars { w in
      sgemm(
        transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs, a: g, b: w.baseAddress!,
        beta: accumulateInput ? 1 : 0, c: dInput)
    }
  }
  if weight.requiresGrad {
    weight.writeOrAccumulateGradient { dw, accumulate in
      sgemm(
        transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows, a: g, b: x,
        beta: accumulate ? 1 : 0, c: dw)
    }
  }
  if let bias, bias.requiresGrad {
    bias.writeOrAccumulateGradient { db, accumulate in
      addColumnSums(of: g, rows: rows, columns: outputs, into: db, accumulate: accumulate)
    }
  }
}

/// sums[c] (+)= sum over r of matrix[r * columns + c]: the bias gradient of an affine map.
/// Eight columns at a time in SIMD registers for wide matrices; one column at a time, four rows per
/// step, for narrow ones (a per-row loop over 1 to 7 columns would be all overhead).
func addColumnSums(
  of matrix: UnsafePointer<Float>, rows: Int, columns: Int, into sums: UnsafeMutablePointer<Float>,
  accumulate: Bool
) {
  if !accumulate { sums.initialize(repeating: 0, count: columns) }
  if columns < 8 {
    for column in 0..<columns {
      var partial = SIMD4<Float>()
      var row = 0
      while row + 4 <= rows {
        partial += SIMD4(
          matrix[row * columns + column], matrix[(row + 1) * columns + column],
          matrix[(row + 2) * columns + column], matrix[(row + 3) * columns + column])
        row += 4
      }
      var total = partial.sum()
      while row < rows {
        total += matrix[row * columns + column]
        row += 1
      }
      sums[column] += total
    }
    return
  }
  let source = UnsafeRawPointer(matrix)
  let target = UnsafeMutableRawPointer(sums)
  var column = 0
  while column + 8 <= columns {
    var total = target.loadUnaligned(fromByteOffset: column * 4, as: SIMD8<Float>.self)
    for row in 0..<rows {
      total += source.loadUnaligned(fromByteOffset: (row * columns + column) * 4, as: SIMD8<Float>.self)
    }
    target.storeBytes(of: total, toByteOffset: column * 4, as: SIMD8<Float>.self)
    column += 8
  }
  while column < columns {
    var total: Float = 0
    for row in 0..<rows { total += matrix[row * columns + column] }
    sums[column] += total
    column += 1
  }
}
