extension Tensor {
  /// y = x * mask element-wise, with `mask` a constant (no gradient flows to it): dropout's
  /// y = x * m / (1 - p) once the layer has drawn m / (1 - p). Backward: dx += dy * mask.
  /// `mask` has this tensor's element count, in row-major order.
  public func multiplied(byMask mask: [Float]) -> Tensor {
    if mask.count != count {
      tensorFailure(
        "multiplied(byMask:): mask of \(mask.count) elements for a tensor of shape \(shape) (\(count) elements)")
    }
    let n = count
    let output = [Float](unsafeUninitializedCapacity: n) { y, initialized in
      withScalars { x in
        mask.withUnsafeBufferPointer { m in
          for index in 0..<n { y[index] = x[index] * m[index] }
        }
      }
      initialized = n
    }
    return Tensor(shape: shape, scalars: output, operation: "multiplied(byMask:)", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        mask.withUnsafeBufferPointer { m in
          input.accumulateGradient { dx in
            for index in 0..<n { dx[index] += g[index] * m[index] }
          }
        }
      }
    }
  }
}
