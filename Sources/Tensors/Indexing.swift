extension Tensor {
  /// Rows of the first dimension picked by `indices` (repeats allowed): result[i] = self[indices[i]].
  /// The gather of sparse expert dispatch. Backward: the gradient rows are added back (index-add).
  public func indexSelect(rows indices: [Int]) -> Tensor {
    if rank == 0 { tensorFailure("indexSelect: cannot select rows of a scalar") }
    let rowCount = shape[0]
    let width = count / Swift.max(rowCount, 1)
    for (position, index) in indices.enumerated() where index < 0 || index >= rowCount {
      tensorFailure("indexSelect: index \(index) at position \(position) is outside 0..<\(rowCount) rows of \(shape)")
    }
    var newShape = shape
    newShape[0] = indices.count
    var output = [Float](repeating: 0, count: indices.count * width)
    withScalars { x in
      output.withUnsafeMutableBufferPointer { y in
        for (row, index) in indices.enumerated() {
          (y.baseAddress! + row * width).update(from: x.baseAddress! + index * width, count: width)
        }
      }
    }
    return Tensor(shape: newShape, scalars: output, operation: "indexSelect", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.accumulateGradient { dx in
          for (row, index) in indices.enumerated() {
            let source = row * width
            let target = index * width
            for column in 0..<width { dx[target + column] += g[source + column] }
          }
        }
      }
    }
  }

  /// `self` with `source`'s rows added at rows `indices`: result[indices[i]] += source[i].
  /// The scatter of sparse expert dispatch (PyTorch's index_add along dimension 0).
  /// Backward: self gets the gradient unchanged; source gets its rows gathered from it.
  public func indexAdd(rows indices: [Int], _ source: Tensor) -> Tensor {
    if rank == 0 { tensorFailure("indexAdd: cannot add rows into a scalar") }
    let rowCount = shape[0]
    let width = count / Swift.max(rowCount, 1)
    var expected = shape
    expected[0] = indices.count
    if source.shape != expected {
      tensorFailure(
        "indexAdd: source of shape \(source.shape) for \(indices.count) indices into \(shape); expected \(expected)")
    }
    for (position, index) in indices.enumerated() where index < 0 || index >= rowCount {
      tensorFailure("indexAdd: index \(index) at position \(position) is outside 0..<\(rowCount) rows of \(shape)")
    }
    var output = scalars
    source.withScalars { s in
      output.withUnsafeMutableBufferPointer { y in
        for (row, index) in indices.enumerated() {
          for column in 0..<width { y[index * width + column] += s[row * width + column] }
        }
      }
    }
    return Tensor(shape: shape, scalars: output, operation: "indexAdd", parents: [self, source]) { result in
      let base = result.parents[0]
      let source = result.parents[1]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        if base.requiresGrad {
          base.accumulateGradient { dx in for index in 0..<g.count { dx[index] += g[index] } }
        }
        if source.requiresGrad {
          source.accumulateGradient { ds in
            for (row, index) in indices.enumerated() {
              for column in 0..<width { ds[row * width + column] += g[index * width + column] }
            }
          }
        }
      }
    }
  }

  /// Elements picked along the last axis: result[..., j] = self[..., indices[..., j]].
  /// `indices` is laid out row-major in the result's shape, which is this shape with the last
  /// dimension replaced by `count` (PyTorch's gather on the last dimension). Backward: scatter-add.
  public func gather(lastAxis indices: [Int], count picked: Int) -> Tensor {
    if rank == 0 { tensorFailure("gather: cannot gather from a scalar") }
    let size = shape[rank - 1]
    let rows = count / Swift.max(size, 1)
    if indices.count != rows * picked {
      tensorFailure("gather: \(indices.count) indices for \(rows) rows x \(picked) picks from \(shape)")
    }
    for (position, index) in indices.enumerated() where index < 0 || index >= size {
      tensorFailure("gather: index \(index) at position \(position) is outside 0..<\(size) (last axis of \(shape))")
    }
    var newShape = shape
    newShape[rank - 1] = picked
    var output = [Float](repeating: 0, count: rows * picked)
    withScalars { x in
      for row in 0..<rows {
        for j in 0..<picked { output[row * picked + j] = x[row * size + indices[row * picked + j]] }
      }
    }
    return Tensor(shape: newShape, scalars: output, operation: "gather", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.accumulateGradient { dx in
          for row in 0..<rows {
            for j in 0..<picked { dx[row * size + indices[row * picked + j]] += g[row * picked + j] }
          }
        }
      }
    }
  }

  /// The inverse of `gather`: a tensor of `size` columns per row, zero except
  /// result[..., indices[..., j]] += self[..., j] (PyTorch's scatter_add on the last dimension).
  public func scatterAdd(lastAxis indices: [Int], size: Int) -> Tensor {
    if rank == 0 { tensorFailure("scatterAdd: cannot scatter a scalar") }
    let picked = shape[rank - 1]
    let rows = count / Swift.max(picked, 1)
    if indices.count != count {
      tensorFailure("scatterAdd: \(indices.count) indices for a source of shape \(shape)")
    }
    for (position, index) in indices.enumerated() where index < 0 || index >= size {
      tensorFailure("scatterAdd: index \(index) at position \(position) is outside 0..<\(size)")
    }
    var newShape = shape
    newShape[rank - 1] = size
    var output = [Float](repeating: 0, count: rows * size)
    withScalars { x in
      for row in 0..<rows {
        for j in 0..<picked { output[row * size + indices[row * picked + j]] += x[row * picked + j] }
      }
    }
    return Tensor(shape: newShape, scalars: output, operation: "scatterAdd", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.accumulateGradient { dx in
          for row in 0..<rows {
            for j in 0..<picked { dx[row * picked + j] += g[row * size + indices[row * picked + j]] }
          }
        }
      }
    }
  }

  /// The k largest elements along the last axis, largest first, and their indices
  /// (ties go to the lower index, so the choice is deterministic).
  /// `indices` is laid out row-major in the shape of `values`. Gradients flow to the chosen elements.
  public func topK(_ k: Int) -> (values: Tensor, indices: [Int]) {
    if rank == 0 { tensorFailure("topK: cannot take the top k of a scalar") }
    let size = shape[rank - 1]
    if k < 1 || k > size {
      tensorFailure("topK: k = \(k) must lie in 1...\(size) (the last dimension of \(shape))")
    }
    let rows = count / size
    var indices = [Int](repeating: 0, count: rows * k)
    withScalars { x in
      indices.withUnsafeMutableBufferPointer { chosen in
        for row in 0..<rows {
          let line = x.baseAddress! + row * size
          let best = chosen.baseAddress! + row * k
          var filled = 0
          // Insertion into a sorted list of k: O(size * k), fast for the small k of routing.
          for candidate in 0..<size {
            let value = line[candidate]
            if filled == k && !(value > line[best[k - 1]]) { continue }
            var position = filled == k ? k - 1 : filled
            while position > 0 && value > line[best[position - 1]] {
              best[position] = best[position - 1]
              position -= 1
            }
            best[position] = candidate
            if filled < k { filled += 1 }
          }
        }
      }
    }
    return (gather(lastAxis: indices, count: k), indices)
  }
}
