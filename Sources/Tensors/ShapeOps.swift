extension Tensor {
  /// The same elements under a new shape with the same count; one dimension may be -1 (inferred).
  /// The element array is shared (copy-on-write), so reshaping costs no copy.
  public func reshaped(_ newShape: [Int]) -> Tensor {
    var resolved = newShape
    if let unknown = newShape.firstIndex(of: -1) {
      let known = shapeProduct(newShape.enumerated().filter { $0.offset != unknown }.map(\.element))
      if known == 0 || count % known != 0 {
        tensorFailure("reshape: cannot reshape \(shape) (\(count) elements) to \(newShape)")
      }
      resolved[unknown] = count / known
    }
    if resolved.contains(where: { $0 < 0 }) || shapeProduct(resolved) != count {
      tensorFailure("reshape: cannot reshape \(shape) (\(count) elements) to \(newShape)")
    }
    if resolved == shape { return self }
    return Tensor(shape: resolved, scalars: scalars, operation: "reshape", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.accumulateGradient { dx in for index in 0..<g.count { dx[index] += g[index] } }
      }
    }
  }

  /// Collapses all dimensions after the first: [n, a, b] -> [n, a * b].
  public func flattened() -> Tensor { reshaped([shape.first ?? 1, -1]) }

  /// A length-1 dimension inserted at `axis` (which may equal the rank: appended).
  public func unsqueezed(axis: Int) -> Tensor {
    let resolved = axis < 0 ? axis + rank + 1 : axis
    if resolved < 0 || resolved > rank {
      tensorFailure("unsqueeze: axis \(axis) is out of range for a tensor of rank \(rank)")
    }
    var newShape = shape
    newShape.insert(1, at: resolved)
    return reshaped(newShape)
  }

  /// The length-1 dimension at `axis` removed, or all length-1 dimensions when `axis` is nil.
  public func squeezed(axis: Int? = nil) -> Tensor {
    guard let axis else { return reshaped(shape.filter { $0 != 1 }) }
    let resolved = normalizedAxis(axis, rank: rank, operation: "squeeze")
    if shape[resolved] != 1 {
      tensorFailure("squeeze: dimension \(axis) of shape \(shape) has size \(shape[resolved]), not 1")
    }
    var newShape = shape
    newShape.remove(at: resolved)
    return reshaped(newShape)
  }

  /// Dimensions reordered: result dimension i is this tensor's dimension `order[i]`.
  public func permuted(_ order: [Int]) -> Tensor {
    if order.count != rank || Set(order) != Set(0..<rank) {
      tensorFailure("permute: \(order) is not a permutation of the \(rank) dimensions of \(shape)")
    }
    if order == Array(0..<rank) { return self }
    let newShape = order.map { shape[$0] }
    let sourceStrides = contiguousStrides(shape)
    let readStrides = order.map { sourceStrides[$0] }
    var output = [Float](repeating: 0, count: count)
    let zeroStrides = [Int](repeating: 0, count: rank)
    withScalars { x in
      output.withUnsafeMutableBufferPointer { y in
        forEachBroadcast(shape: newShape, stridesA: readStrides, stridesB: zeroStrides) { o, i, _ in
          y[o] = x[i]
        }
      }
    }
    return Tensor(shape: newShape, scalars: output, operation: "permute", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.accumulateGradient { dx in
          forEachBroadcast(shape: newShape, stridesA: readStrides, stridesB: zeroStrides) { o, i, _ in
            dx[i] += g[o]
          }
        }
      }
    }
  }

  /// Two dimensions swapped (by default the last two: the matrix transpose).
  public func transposed(_ first: Int = -2, _ second: Int = -1) -> Tensor {
    if rank < 2 { tensorFailure("transpose: tensor of shape \(shape) has fewer than 2 dimensions") }
    let a = normalizedAxis(first, rank: rank, operation: "transpose")
    let b = normalizedAxis(second, rank: rank, operation: "transpose")
    var order = Array(0..<rank)
    order.swapAt(a, b)
    return permuted(order)
  }

  /// The matrix transpose of a 2-D tensor.
  public var T: Tensor { transposed() }

  /// Elements `range` along `axis` (a contiguous slice; the result keeps the axis).
  public func slice(axis: Int = 0, _ range: Range<Int>) -> Tensor {
    let axis = normalizedAxis(axis, rank: rank, operation: "slice")
    let (outer, size, inner) = splitAround(shape, axis: axis)
    if range.lowerBound < 0 || range.upperBound > size {
      tensorFailure("slice: range \(range) is outside 0..<\(size) along axis \(axis) of shape \(shape)")
    }
    let width = range.count * inner
    var newShape = shape
    newShape[axis] = range.count
    var output = [Float](repeating: 0, count: outer * width)
    withScalars { x in
      output.withUnsafeMutableBufferPointer { y in
        for o in 0..<outer {
          let source = (o * size + range.lowerBound) * inner
          for index in 0..<width { y[o * width + index] = x[source + index] }
        }
      }
    }
    return Tensor(shape: newShape, scalars: output, operation: "slice", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.accumulateGradient { dx in
          for o in 0..<outer {
            let target = (o * size + range.lowerBound) * inner
            for index in 0..<width { dx[target + index] += g[o * width + index] }
          }
        }
      }
    }
  }

  /// Rows `range` of the first dimension.
  public subscript(rows range: Range<Int>) -> Tensor { slice(axis: 0, range) }

  /// Element `index` along `axis`, with that axis removed: x.select(axis: 1, 0) is column 0.
  public func select(axis: Int = 0, _ index: Int) -> Tensor {
    let resolved = normalizedAxis(axis, rank: rank, operation: "select")
    if index < 0 || index >= shape[resolved] {
      tensorFailure("select: index \(index) is outside 0..<\(shape[resolved]) along axis \(axis) of shape \(shape)")
    }
    return slice(axis: resolved, index..<(index + 1)).squeezed(axis: resolved)
  }

  /// Tensors joined along `axis`; every other dimension must agree.
  public static func concatenate(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    guard let first = tensors.first else { tensorFailure("concatenate: no tensors given") }
    let axis = normalizedAxis(axis, rank: first.rank, operation: "concatenate")
    for (position, tensor) in tensors.enumerated() {
      var expected = first.shape
      if tensor.rank == first.rank { expected[axis] = tensor.shape[axis] }
      if tensor.shape != expected {
        tensorFailure(
          "concatenate: tensor \(position) has shape \(tensor.shape) but tensor 0 has \(first.shape) (joining along axis \(axis))"
        )
      }
    }
    let outer = shapeProduct(first.shape[..<axis])
    let inner = shapeProduct(first.shape[(axis + 1)...])
    let sizes = tensors.map { $0.shape[axis] }
    let total = sizes.reduce(0, +)
    var newShape = first.shape
    newShape[axis] = total
    var output = [Float](repeating: 0, count: outer * total * inner)
    var start = 0
    for tensor in tensors {
      let width = tensor.shape[axis] * inner
      tensor.withScalars { x in
        output.withUnsafeMutableBufferPointer { y in
          for o in 0..<outer {
            for index in 0..<width { y[(o * total + start) * inner + index] = x[o * width + index] }
          }
        }
      }
      start += tensor.shape[axis]
    }
    return Tensor(shape: newShape, scalars: output, operation: "concatenate", parents: tensors) { result in
      result.gradientStorage!.withUnsafeBufferPointer { g in
        var start = 0
        for tensor in result.parents {
          let width = tensor.shape[axis] * inner
          if tensor.requiresGrad {
            tensor.accumulateGradient { dx in
              for o in 0..<outer {
                for index in 0..<width { dx[o * width + index] += g[(o * total + start) * inner + index] }
              }
            }
          }
          start += tensor.shape[axis]
        }
      }
    }
  }

  /// Tensors of one shape stacked along a new dimension at `axis`.
  public static func stack(_ tensors: [Tensor], axis: Int = 0) -> Tensor {
    guard let first = tensors.first else { tensorFailure("stack: no tensors given") }
    for (position, tensor) in tensors.enumerated() where tensor.shape != first.shape {
      tensorFailure("stack: tensor \(position) has shape \(tensor.shape) but tensor 0 has \(first.shape)")
    }
    let resolved = axis < 0 ? axis + first.rank + 1 : axis
    if resolved < 0 || resolved > first.rank {
      tensorFailure("stack: axis \(axis) is out of range for tensors of rank \(first.rank)")
    }
    return concatenate(tensors.map { $0.unsqueezed(axis: resolved) }, axis: resolved)
  }
}
