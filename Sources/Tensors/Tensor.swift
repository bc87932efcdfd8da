/// A multi-dimensional array of `Float` (row-major) that can record the operations applied to it,
/// so that `backward()` computes gradients by reverse-mode automatic differentiation.
///
/// Tensors are immutable values from the user's point of view: every op returns a new tensor.
/// Parameters are updated in place only by optimizers (`withMutableScalars`), outside the graph.
public final class Tensor {
  /// The size of each dimension, outermost first. A scalar has shape `[]`.
  public let shape: [Int]
  /// The elements in row-major order (`shape.product` of them).
  public internal(set) var scalars: [Float]

  /// Whether gradients flow to (and accumulate in) this tensor.
  /// Set it on leaves (parameters, inputs); results of ops inherit it from their operands.
  public var requiresGrad: Bool

  /// Accumulated gradient of the last `backward()` calls, same count as `scalars`; nil until one arrives.
  var gradientStorage: [Float]?
  /// Operands this tensor was computed from (empty for leaves).
  let parents: [Tensor]
  /// Adds this tensor's gradient, chained through the op, into the parents' gradients.
  let backwardFunction: ((Tensor) -> Void)?
  /// The op that made this tensor, for messages.
  public let operation: String

  /// A leaf tensor from its elements. The count must match the shape.
  public init(shape: [Int], scalars: [Float], requiresGrad: Bool = false) {
    let expected = shapeProduct(shape)
    if shape.contains(where: { $0 < 0 }) {
      tensorFailure("Tensor(shape:scalars:): negative dimension in shape \(shape)")
    }
    if expected != scalars.count {
      tensorFailure(
        "Tensor(shape:scalars:): shape \(shape) holds \(expected) elements but \(scalars.count) were given")
    }
    _ = MemoryTuning.applied
    self.shape = shape
    self.scalars = scalars
    self.requiresGrad = requiresGrad
    self.parents = []
    self.backwardFunction = nil
    self.operation = "leaf"
  }

  /// The result of an op. Records the graph only when gradients are enabled and an operand needs them.
  init(
    shape: [Int], scalars: [Float], operation: String, parents: [Tensor],
    backward: @escaping (Tensor) -> Void
  ) {
    _ = MemoryTuning.applied
    self.shape = shape
    self.scalars = scalars
    self.operation = operation
    if parents.contains(where: { $0.requiresGrad }) && GradientMode.isEnabled {
      self.requiresGrad = true
      self.parents = parents
      self.backwardFunction = backward
    } else {
      self.requiresGrad = false
      self.parents = []
      self.backwardFunction = nil
    }
  }

  /// The result of a one-operand op. `makeBackward` runs only when the graph is recorded, so an op
  /// on a constant or under `withoutGradients` allocates neither its parents array nor its closure.
  @inline(__always)
  init(
    shape: [Int], scalars: [Float], operation: String, parent: Tensor,
    backward makeBackward: () -> (Tensor) -> Void
  ) {
    _ = MemoryTuning.applied
    self.shape = shape
    self.scalars = scalars
    self.operation = operation
    if parent.requiresGrad && GradientMode.isEnabled {
      self.requiresGrad = true
      self.parents = [parent]
      self.backwardFunction = makeBackward()
    } else {
      self.requiresGrad = false
      self.parents = []
      self.backwardFunction = nil
    }
  }

  /// A scalar (rank-0) tensor.
  public convenience init(_ value: Float, requiresGrad: Bool = false) {
    self.init(shape: [], scalars: [value], requiresGrad: requiresGrad)
  }

  /// A tensor from a flat array; the shape defaults to a vector.
  public convenience init(_ scalars: [Float], shape: [Int]? = nil, requiresGrad: Bool = false) {
    self.init(shape: shape ?? [scalars.count], scalars: scalars, requiresGrad: requiresGrad)
  }

  /// A matrix from its rows, which must all have the same length.
  public convenience init(rows: [[Float]], requiresGrad: Bool = false) {
    let columns = rows.first?.count ?? 0
    if let bad = rows.firstIndex(where: { $0.count != columns }) {
      tensorFailure(
        "Tensor(rows:): row \(bad) has \(rows[bad].count) elements but row 0 has \(columns)")
    }
    self.init(
      shape: [rows.count, columns], scalars: rows.flatMap { $0 }, requiresGrad: requiresGrad)
  }

  /// Number of dimensions.
  public var rank: Int { shape.count }
  /// Number of elements.
  public var count: Int { scalars.count }
  /// Whether this tensor was made by the user rather than by an op.
  public var isLeaf: Bool { backwardFunction == nil }

  /// The single element of a one-element tensor.
  public var item: Float {
    if count != 1 { tensorFailure("item: tensor of shape \(shape) has \(count) elements, not 1") }
    return scalars[0]
  }

  /// The accumulated gradient (nil until a `backward()` reached this tensor).
  public var grad: Tensor? {
    get { gradientStorage.map { Tensor(shape: shape, scalars: $0) } }
    set {
      guard let newValue else {
        gradientStorage = nil
        return
      }
      if newValue.shape != shape {
        tensorFailure("grad: gradient of shape \(newValue.shape) for a tensor of shape \(shape)")
      }
      gradientStorage = newValue.scalars
    }
  }

  /// Forgets the accumulated gradient.
  public func zeroGrad() { gradientStorage = nil }

  /// The same values, cut off from the graph: no gradient flows through the result.
  public func detached() -> Tensor { Tensor(shape: shape, scalars: scalars) }

  /// Runs `body` on the elements for reading.
  @inline(__always)
  public func withScalars<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
    try scalars.withUnsafeBufferPointer(body)
  }

  /// Changes the elements in place. Meant for optimizers and initializers: it bypasses the graph,
  /// so never call it on a tensor whose old values a recorded op still needs for its backward.
  @inline(__always)
  public func withMutableScalars<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R)
    rethrows -> R
  {
    try scalars.withUnsafeMutableBufferPointer { try body($0) }
  }

  /// Runs `body` on the accumulated gradient, or returns nil when there is none.
  @inline(__always)
  public func withGradient<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R? {
    guard gradientStorage != nil else { return nil }
    return try gradientStorage!.withUnsafeBufferPointer(body)
  }

  /// Changes the accumulated gradient in place (gradient clipping); nil when there is none.
  @inline(__always)
  public func withMutableGradient<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R)
    rethrows -> R?
  {
    guard gradientStorage != nil else { return nil }
    return try gradientStorage!.withUnsafeMutableBufferPointer { try body($0) }
  }

  /// Replaces the elements with those of `other` (same shape), outside the graph.
  public func assign(_ other: Tensor) {
    if other.shape != shape {
      tensorFailure("assign: cannot assign a tensor of shape \(other.shape) to one of shape \(shape)")
    }
    scalars = other.scalars
  }

  /// Adds `body`'s contribution into this tensor's gradient, or writes it when there is none yet:
  /// then the buffer is fresh (uninitialized) and `body` gets `accumulate == false` and must write
  /// every element (an sgemm with beta 0, a copy). Saves zero-filling a gradient only to add to it.
  @inline(__always)
  func writeOrAccumulateGradient(_ body: (_ gradient: UnsafeMutablePointer<Float>, _ accumulate: Bool) -> Void) {
    if gradientStorage == nil {
      let n = scalars.count
      gradientStorage = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
        if n > 0 { body(buffer.baseAddress!, false) }
        initialized = n
      }
    } else {
      gradientStorage!.withUnsafeMutableBufferPointer { body($0.baseAddress!, true) }
    }
  }

  /// Adds `body`'s contribution into this tensor's gradient, creating it (zeros) if needed.
  /// Every backward function goes through here, so gradients accumulate across uses and calls.
  @inline(__always)
  func accumulateGradient(_ body: (UnsafeMutablePointer<Float>) -> Void) {
    if gradientStorage == nil { gradientStorage = [Float](repeating: 0, count: scalars.count) }
    gradientStorage!.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
  }
}

/// `count` elements, every one of them written by `body`.
///
/// Small results are written on the stack and copied into the array: `Array(unsafeUninitializedCapacity:)`
/// and `Array(repeating:count:)` look the storage's type metadata up at run time (about 350
/// instructions, more than an op on a few dozen elements costs), while copying from a buffer pointer
/// goes through a specialized path that does not. Large results are written in place.
@inline(__always)
func makeScalars(count: Int, _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> [Float] {
  if count <= 256 {
    if count == 0 { return [] }
    return withUnsafeTemporaryAllocation(of: Float.self, capacity: count) { buffer in
      body(buffer)
      return Array(UnsafeBufferPointer(buffer))
    }
  }
  return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
    body(buffer)
    initialized = count
  }
}

extension Tensor: CustomStringConvertible {
  /// Four decimals, rows on their own lines; long dimensions are elided with "...".
  public var description: String {
    var text = ""
    describe(into: &text, dimension: 0, offset: 0, indent: 0)
    return "\(text), shape \(shape)"
  }

  private func describe(into text: inout String, dimension: Int, offset: Int, indent: Int) {
    if dimension == shape.count {
      text += formatDecimal(scalars[offset], decimals: 4)
      return
    }
    let size = shape[dimension]
    let stride = shapeProduct(shape[(dimension + 1)...])
    text += "["
    let shown: [Int] = size > 8 ? Array(0..<3) + [-1] + Array((size - 3)..<size) : Array(0..<size)
    for (position, index) in shown.enumerated() {
      if position > 0 {
        text += dimension == shape.count - 1 ? ", " : ",\n" + String(repeating: " ", count: indent + 1)
      }
      if index < 0 {
        text += "..."
      } else {
        describe(into: &text, dimension: dimension + 1, offset: offset + index * stride, indent: indent + 1)
      }
    }
    text += "]"
  }
}
