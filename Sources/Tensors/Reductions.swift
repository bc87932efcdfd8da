extension Tensor {
  /// The shape after reducing `axis`: the axis becomes 1 (keepDimensions) or disappears.
  private func reducedShape(axis: Int, keepDimensions: Bool) -> [Int] {
    var result = shape
    if keepDimensions { result[axis] = 1 } else { result.remove(at: axis) }
    return result
  }

  /// Sum of all elements (a scalar).
  public func sum() -> Tensor {
    var total: Float = 0
    withScalars { x in for value in x { total += value } }
    return Tensor(shape: [], scalars: [total], operation: "sum", parent: self) {
      { result in
        let input = result.parents[0]
        let g = result.gradientStorage![0]
        input.accumulateGradient { dx in for index in 0..<input.count { dx[index] += g } }
      }
    }
  }

  /// Mean of all elements (a scalar).
  public func mean() -> Tensor {
    if count == 0 { tensorFailure("mean: tensor of shape \(shape) is empty") }
    return sum() * (1 / Float(count))
  }

  /// Sum along `axis` (negative counts from the end).
  public func sum(axis: Int, keepDimensions: Bool = false) -> Tensor {
    let axis = normalizedAxis(axis, rank: rank, operation: "sum")
    let (outer, size, inner) = splitAround(shape, axis: axis)
    let output = makeScalars(count: outer * inner) { y in
      withScalars { x in
        if inner == 1 {
          // Rows summed in a register, in the same order (0 + x0 + x1 + ...) as the general loop.
          for o in 0..<outer {
            var total: Float = 0
            for k in 0..<size { total += x[o * size + k] }
            y[o] = total
          }
          return
        }
        y.initialize(repeating: 0)
        for o in 0..<outer {
          for k in 0..<size {
            let row = (o * size + k) * inner
            for i in 0..<inner { y[o * inner + i] += x[row + i] }
          }
        }
      }
    }
    return Tensor(
      shape: reducedShape(axis: axis, keepDimensions: keepDimensions), scalars: output,
      operation: "sum", parent: self
    ) {
      { result in
        let input = result.parents[0]
        result.gradientStorage!.withUnsafeBufferPointer { g in
          input.accumulateGradient { dx in
            for o in 0..<outer {
              for k in 0..<size {
                let row = (o * size + k) * inner
                for i in 0..<inner { dx[row + i] += g[o * inner + i] }
              }
            }
          }
        }
      }
    }
  }

  /// mean((a - b)^2) over all elements of two tensors of one shape, in one op.
  ///
  /// The same arithmetic, in the same order, as `(a - b).squared().mean()`: each d = a - b, the sum of
  /// d * d from 0 in index order, then (1 / n) * sum; backward da += g' (2 d) and db += -g' (2 d) with
  /// g' = 0 + g / n as the three ops' backwards compute it. So losses and gradients are bit-identical,
  /// without the two intermediate tensors and their graph nodes.
  public static func meanSquaredDifference(_ a: Tensor, _ b: Tensor) -> Tensor {
    if a.shape != b.shape {
      tensorFailure("meanSquaredDifference: shapes \(a.shape) and \(b.shape) differ")
    }
    let n = a.count
    if n == 0 || a === b { return (a - b).squared().mean() }
    let scale = 1 / Float(n)
    var total: Float = 0
    a.withScalars { x in
      b.withScalars { y in
        for index in 0..<n {
          let d = x[index] - y[index]
          total += d * d
        }
      }
    }
    return Tensor(
      shape: [], scalars: [scale * total + 0], operation: "meanSquaredDifference", parents: [a, b]
    ) { result in
      let a = result.parents[0]
      let b = result.parents[1]
      // mean's backward (g * scale), then sum's (into zeros: 0 + that).
      let g: Float = 0 + result.gradientStorage![0] * scale
      a.withScalars { x in
        b.withScalars { y in
          if a.requiresGrad {
            a.accumulateGradient { da in
              for index in 0..<n { da[index] += g * (2 * (x[index] - y[index])) * 1 }
            }
          }
          if b.requiresGrad {
            b.accumulateGradient { db in
              for index in 0..<n { db[index] += g * (2 * (x[index] - y[index])) * -1 }
            }
          }
        }
      }
    }
  }

  /// Mean along `axis`.
  public func mean(axis: Int, keepDimensions: Bool = false) -> Tensor {
    let resolved = normalizedAxis(axis, rank: rank, operation: "mean")
    if shape[resolved] == 0 { tensorFailure("mean: axis \(axis) of shape \(shape) is empty") }
    return sum(axis: resolved, keepDimensions: keepDimensions) * (1 / Float(shape[resolved]))
  }

  /// Index of the extreme element along `axis` for every other position (first one on ties).
  private func extremeIndices(axis: Int, operation: String, isBetter: (Float, Float) -> Bool) -> (
    indices: [Int], outer: Int, size: Int, inner: Int
  ) {
    let (outer, size, inner) = splitAround(shape, axis: axis)
    if size == 0 { tensorFailure("\(operation): axis \(axis) of shape \(shape) is empty") }
    var indices = [Int](repeating: 0, count: outer * inner)
    withScalars { x in
      for o in 0..<outer {
        for i in 0..<inner {
          var best = x[o * size * inner + i]
          var bestIndex = 0
          for k in 1..<Swift.max(size, 1) {
            let value = x[(o * size + k) * inner + i]
            if isBetter(value, best) || (best.isNaN == false && value.isNaN) {
              best = value
              bestIndex = k
            }
          }
          indices[o * inner + i] = bestIndex
        }
      }
    }
    return (indices, outer, size, inner)
  }

  /// Maximum along `axis`; the gradient goes to the (first) maximal element.
  public func max(axis: Int, keepDimensions: Bool = false) -> Tensor {
    extreme(axis: axis, keepDimensions: keepDimensions, operation: "max", isBetter: >)
  }

  /// Minimum along `axis`; the gradient goes to the (first) minimal element.
  public func min(axis: Int, keepDimensions: Bool = false) -> Tensor {
    extreme(axis: axis, keepDimensions: keepDimensions, operation: "min", isBetter: <)
  }

  /// Largest element (a scalar).
  public func max() -> Tensor { reshaped([count]).max(axis: 0) }
  /// Smallest element (a scalar).
  public func min() -> Tensor { reshaped([count]).min(axis: 0) }

  private func extreme(
    axis: Int, keepDimensions: Bool, operation: String, isBetter: (Float, Float) -> Bool
  ) -> Tensor {
    let axis = normalizedAxis(axis, rank: rank, operation: operation)
    let (indices, outer, size, inner) = extremeIndices(axis: axis, operation: operation, isBetter: isBetter)
    var output = [Float](repeating: 0, count: outer * inner)
    withScalars { x in
      for o in 0..<outer {
        for i in 0..<inner { output[o * inner + i] = x[(o * size + indices[o * inner + i]) * inner + i] }
      }
    }
    return Tensor(
      shape: reducedShape(axis: axis, keepDimensions: keepDimensions), scalars: output,
      operation: operation, parent: self
    ) {
      { result in
        let input = result.parents[0]
        result.gradientStorage!.withUnsafeBufferPointer { g in
          input.accumulateGradient { dx in
            for o in 0..<outer {
              for i in 0..<inner {
                dx[(o * size + indices[o * inner + i]) * inner + i] += g[o * inner + i]
              }
            }
          }
        }
      }
    }
  }

  /// Indices of the maxima along `axis` (first on ties), in the reduced shape's row-major order.
  public func argmax(axis: Int = -1) -> [Int] {
    let axis = normalizedAxis(axis, rank: rank, operation: "argmax")
    let (outer, size, inner) = splitAround(shape, axis: axis)
    if inner == 1 && size > 0 {
      // Contiguous rows (the usual last axis): a direct loop, same rule (first maximum, NaN wins).
      return [Int](unsafeUninitializedCapacity: outer) { indices, initialized in
        withScalars { x in
          for row in 0..<outer {
            let line = x.baseAddress! + row * size
            var best = line[0]
            var bestIndex = 0
            for k in 1..<size {
              let value = line[k]
              if value > best || (value.isNaN && !best.isNaN) {
                best = value
                bestIndex = k
              }
            }
            indices[row] = bestIndex
          }
        }
        initialized = outer
      }
    }
    return extremeIndices(axis: axis, operation: "argmax", isBetter: >).indices
  }

  /// Indices of the minima along `axis` (first on ties).
  public func argmin(axis: Int = -1) -> [Int] {
    extremeIndices(
      axis: normalizedAxis(axis, rank: rank, operation: "argmin"), operation: "argmin", isBetter: <
    ).indices
  }
}
