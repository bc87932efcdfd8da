extension Tensor {
  /// Runs `body(x, y, stride)` for every line along `axis`: x reads the input line, y the output
  /// line, both `size` elements apart by `stride`. Softmax-like ops are defined line by line.
  @inline(__always)
  private static func forEachLine(
    outer: Int, size: Int, inner: Int, _ body: (_ start: Int, _ stride: Int) -> Void
  ) {
    for o in 0..<outer {
      for i in 0..<inner { body(o * size * inner + i, inner) }
    }
  }

  /// softmax(x)_k = exp(x_k - m) / sum_j exp(x_j - m) along `axis`, with m the line's maximum,
  /// so logits of +-1e4 neither overflow nor underflow to NaN.
  /// Backward: dx = y * (g - sum_k g_k y_k).
  public func softmax(axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis, rank: rank, operation: "softmax")
    let (outer, size, inner) = splitAround(shape, axis: axis)
    let output = makeScalars(count: count) { y in
      withScalars { x in
        var firstLine = 0
        if inner == 1 && size <= 16 {
          // Short rows (gate logits): eight rows at a time, one per SIMD lane.
          while firstLine + FloatVector.scalarCount <= outer {
            Tensor.softmaxRows(x.baseAddress! + firstLine * size, y.baseAddress! + firstLine * size, size: size)
            firstLine += FloatVector.scalarCount
          }
        }
        Tensor.forEachLine(outer: outer - firstLine, size: size, inner: inner) { start, stride in
          let start = start + firstLine * size * inner
          var maximum = -Float.infinity
          for k in 0..<size { maximum = Swift.max(maximum, x[start + k * stride]) }
          if maximum == -.infinity { maximum = 0 }
          var total: Float = 0
          for k in 0..<size {
            let value = x[start + k * stride]
            let e = value == -.infinity ? 0 : vectorizableExp(value - maximum)
            y[start + k * stride] = e
            total += e
          }
          let scale = 1 / total
          for k in 0..<size { y[start + k * stride] *= scale }
        }
      }
    }
    return Tensor(shape: shape, scalars: output, operation: "softmax", parent: self) {
      { result in
        let input = result.parents[0]
        result.gradientStorage!.withUnsafeBufferPointer { g in
          result.scalars.withUnsafeBufferPointer { y in
            input.accumulateGradient { dx in
              Tensor.forEachLine(outer: outer, size: size, inner: inner) { start, stride in
                var dot: Float = 0
                for k in 0..<size { dot += g[start + k * stride] * y[start + k * stride] }
                for k in 0..<size {
                  let index = start + k * stride
                  dx[index] += y[index] * (g[index] - dot)
                }
              }
            }
          }
        }
      }
    }
  }

  /// Softmax of eight consecutive rows of `size` elements, row r in SIMD lane r: the same steps as
  /// the one-row loop (maximum, exp of the shifted values with -infinity giving 0, scale by 1 / sum).
  @inline(__always)
  private static func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, size: Int) {
    @inline(__always) func column(_ pointer: UnsafePointer<Float>, _ k: Int) -> FloatVector {
      let p = pointer + k
      return FloatVector(
        p[0], p[size], p[2 * size], p[3 * size], p[4 * size], p[5 * size], p[6 * size], p[7 * size])
    }
    @inline(__always) func store(_ lanes: FloatVector, _ k: Int) {
      let p = y + k
      (p[0], p[size], p[2 * size], p[3 * size]) = (lanes[0], lanes[1], lanes[2], lanes[3])
      (p[4 * size], p[5 * size], p[6 * size], p[7 * size]) = (lanes[4], lanes[5], lanes[6], lanes[7])
    }
    var maximum = FloatVector(repeating: -.infinity)
    for k in 0..<size {
      let value = column(x, k)
      maximum = maximum.replacing(with: value, where: value .> maximum)
    }
    maximum = maximum.replacing(with: 0, where: maximum .== -.infinity)
    var total = FloatVector()
    for k in 0..<size {
      let value = column(x, k)
      let e = vectorizableExp(value - maximum).replacing(with: 0, where: value .== -.infinity)
      store(e, k)
      total += e
    }
    let scale = 1 / total
    for k in 0..<size { store(column(UnsafePointer(y), k) * scale, k) }
  }

  /// log softmax(x)_k = x_k - logsumexp(x) along `axis`, computed as (x_k - m) - log sum_j exp(x_j - m)
  /// with m the maximum. Subtracting m first keeps the near-zero log-probabilities exact: m + log(...)
  /// rounds the sum at the scale of m, which at large logits costs the small terms their low digits.
  /// Backward: dx = g - softmax(x) * sum_k g_k.
  public func logSoftmax(axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis, rank: rank, operation: "logSoftmax")
    let (outer, size, inner) = splitAround(shape, axis: axis)
    var output = [Float](repeating: 0, count: count)
    withScalars { x in
      output.withUnsafeMutableBufferPointer { y in
        Tensor.forEachLine(outer: outer, size: size, inner: inner) { start, stride in
          let (maximum, logTotal) = Tensor.shiftedLogSumExp(x, start: start, stride: stride, size: size)
          for k in 0..<size { y[start + k * stride] = (x[start + k * stride] - maximum) - logTotal }
        }
      }
    }
    return Tensor(shape: shape, scalars: output, operation: "logSoftmax", parent: self) {
      { result in
        let input = result.parents[0]
        result.gradientStorage!.withUnsafeBufferPointer { g in
          result.scalars.withUnsafeBufferPointer { y in
            input.accumulateGradient { dx in
              Tensor.forEachLine(outer: outer, size: size, inner: inner) { start, stride in
                var total: Float = 0
                for k in 0..<size { total += g[start + k * stride] }
                for k in 0..<size {
                  let index = start + k * stride
                  dx[index] += g[index] - _exp(y[index]) * total
                }
              }
            }
          }
        }
      }
    }
  }

  /// log sum_k exp(x_k) along `axis`, as m + log sum_k exp(x_k - m) with m the maximum.
  /// Backward: dx = g * softmax(x).
  public func logSumExp(axis: Int = -1, keepDimensions: Bool = false) -> Tensor {
    let axis = normalizedAxis(axis, rank: rank, operation: "logSumExp")
    let (outer, size, inner) = splitAround(shape, axis: axis)
    var output = [Float](repeating: 0, count: outer * inner)
    withScalars { x in
      for o in 0..<outer {
        for i in 0..<inner {
          output[o * inner + i] = Tensor.logSumExp(x, start: o * size * inner + i, stride: inner, size: size)
        }
      }
    }
    var reduced = shape
    if keepDimensions { reduced[axis] = 1 } else { reduced.remove(at: axis) }
    return Tensor(shape: reduced, scalars: output, operation: "logSumExp", parent: self) {
      { result in
        let input = result.parents[0]
        result.gradientStorage!.withUnsafeBufferPointer { g in
          result.scalars.withUnsafeBufferPointer { lse in
            input.scalars.withUnsafeBufferPointer { x in
              input.accumulateGradient { dx in
                for o in 0..<outer {
                  for i in 0..<inner {
                    let line = o * inner + i
                    for k in 0..<size {
                      let index = (o * size + k) * inner + i
                      dx[index] += g[line] * _exp(x[index] - lse[line])
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  @inline(__always)
  static func logSumExp(_ x: UnsafeBufferPointer<Float>, start: Int, stride: Int, size: Int) -> Float {
    let (maximum, logTotal) = shiftedLogSumExp(x, start: start, stride: stride, size: size)
    return maximum + logTotal
  }

  /// The two parts of logsumexp(x) = m + log sum_k exp(x_k - m), with m the maximum, kept apart so that
  /// log-probabilities can be formed as (x_k - m) - log sum, which loses no digits to the scale of m.
  /// A line of -infinity gives (-infinity, 0).
  @inline(__always)
  static func shiftedLogSumExp(
    _ x: UnsafeBufferPointer<Float>, start: Int, stride: Int, size: Int
  ) -> (maximum: Float, logTotal: Float) {
    var maximum = -Float.infinity
    for k in 0..<size { maximum = Swift.max(maximum, x[start + k * stride]) }
    if maximum == -.infinity { return (-.infinity, 0) }
    var total: Float = 0
    for k in 0..<size { total += _exp(x[start + k * stride] - maximum) }
    return (maximum, _log(total))
  }
}
