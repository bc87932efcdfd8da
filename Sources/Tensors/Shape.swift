/// Number of elements of a shape (1 for a scalar).
@inline(__always)
func shapeProduct<C: Collection>(_ dimensions: C) -> Int where C.Element == Int {
  var product = 1
  for dimension in dimensions { product *= dimension }
  return product
}

/// Row-major strides of a shape.
func contiguousStrides(_ shape: [Int]) -> [Int] {
  var strides = [Int](repeating: 1, count: shape.count)
  var running = 1
  for index in stride(from: shape.count - 1, through: 0, by: -1) {
    strides[index] = running
    running *= shape[index]
  }
  return strides
}

/// Turns a possibly negative axis (-1 = last) into an index, or stops naming the op.
func normalizedAxis(_ axis: Int, rank: Int, operation: String) -> Int {
  let resolved = axis < 0 ? axis + rank : axis
  if resolved < 0 || resolved >= rank {
    tensorFailure("\(operation): axis \(axis) is out of range for a tensor of rank \(rank)")
  }
  return resolved
}

/// The shape split around `axis` as (outer, size, inner): element (o, k, i) sits at (o * size + k) * inner + i.
/// Every op along one axis (reductions, softmax, slicing, concatenation) walks this layout.
@inline(__always)
func splitAround(_ shape: [Int], axis: Int) -> (outer: Int, size: Int, inner: Int) {
  (shapeProduct(shape[..<axis]), shape[axis], shapeProduct(shape[(axis + 1)...]))
}

/// NumPy's (and PyTorch's) broadcasting rule: align the trailing dimensions; each pair of sizes must
/// be equal or contain a 1, and the result takes the larger. Returns the result's shape, or, when the
/// shapes do not broadcast, PyTorch's error for them ("The size of tensor a (3) must match the size
/// of tensor b (5) at non-singleton dimension 1", the dimension counted in the result). The lessons
/// use it to show what the slides' PyTorch code would do with a shape.
public func broadcastedShape(_ a: [Int], _ b: [Int]) -> (shape: [Int]?, error: String?) {
  let rank = max(a.count, b.count)
  let paddedA = [Int](repeating: 1, count: rank - a.count) + a
  let paddedB = [Int](repeating: 1, count: rank - b.count) + b
  var shape: [Int] = []
  for axis in 0..<rank {
    let (x, y) = (paddedA[axis], paddedB[axis])
    if x != y && x != 1 && y != 1 {
      return (
        nil, "The size of tensor a (\(x)) must match the size of tensor b (\(y)) at non-singleton dimension \(axis)"
      )
    }
    shape.append(max(x, y))
  }
  return (shape, nil)
}

/// NumPy broadcasting for an op (the hot path of every elementwise op: one allocation): as
/// `broadcastedShape`, stopping with a message naming the op and both shapes.
func broadcastShape(_ a: [Int], _ b: [Int], operation: String) -> [Int] {
  let rank = max(a.count, b.count)
  var result = [Int](repeating: 1, count: rank)
  for index in 0..<rank {
    let da = index < rank - a.count ? 1 : a[index - (rank - a.count)]
    let db = index < rank - b.count ? 1 : b[index - (rank - b.count)]
    if da == db || db == 1 {
      result[index] = da
    } else if da == 1 {
      result[index] = db
    } else {
      tensorFailure("\(operation): shapes \(a) and \(b) cannot be broadcast (dimension \(da) vs \(db))")
    }
  }
  return result
}

/// Strides that read a tensor of `shape` as if it had `target` shape (0 along broadcast dimensions).
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
  let own = contiguousStrides(shape)
  let offset = target.count - shape.count
  var strides = [Int](repeating: 0, count: target.count)
  for index in 0..<shape.count where shape[index] != 1 {
    strides[index + offset] = own[index]
  }
  return strides
}
