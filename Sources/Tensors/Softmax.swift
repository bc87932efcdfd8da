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
    var output = [Float](repeating: 0, count: count)
    withScalars { x in
      output.withUnsafeMutableBufferPointer { y in
        Tensor.forEachLine(outer: outer, size: size, inner: inner) { start, stride in
          var maximum = -Float.infinity
          for k in 0..<size { maximum = Swift.max(maximum, x[start + k * stride]) }
          if maximum == -.infinity { maximum = 0 }
          var total: Float = 0
          for k in 0..<size {
            let e = _exp(x[start + k * stride] - maximum)
            y[start + k * stride] = e
            total += e
          }
          let scale = 1 / total
          for k in 0..<size { y[start + k * stride] *= scale }
        }
      }
    }
    return Tensor(shape: shape, scalars: output, operation: "softmax", parents: [self]) { result in
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

  /// log softmax(x)_k = x_k - logsumexp(x) along `axis`, computed stably.
  /// Backward: dx = g - softmax(x) * sum_k g_k.
  public func logSoftmax(axis: Int = -1) -> Tensor {
    let axis = normalizedAxis(axis, rank: rank, operation: "logSoftmax")
    let (outer, size, inner) = splitAround(shape, axis: axis)
    var output = [Float](repeating: 0, count: count)
    withScalars { x in
      output.withUnsafeMutableBufferPointer { y in
        Tensor.forEachLine(outer: outer, size: size, inner: inner) { start, stride in
          let lse = Tensor.logSumExp(x, start: start, stride: stride, size: size)
          for k in 0..<size { y[start + k * stride] = x[start + k * stride] - lse }
        }
      }
    }
    return Tensor(shape: shape, scalars: output, operation: "logSoftmax", parents: [self]) { result in
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
    return Tensor(shape: reduced, scalars: output, operation: "logSumExp", parents: [self]) { result in
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

  @inline(__always)
  static func logSumExp(_ x: UnsafeBufferPointer<Float>, start: Int, stride: Int, size: Int) -> Float {
    var maximum = -Float.infinity
    for k in 0..<size { maximum = Swift.max(maximum, x[start + k * stride]) }
    if maximum == -.infinity { return -.infinity }
    var total: Float = 0
    for k in 0..<size { total += _exp(x[start + k * stride] - maximum) }
    return maximum + _log(total)
  }
}
