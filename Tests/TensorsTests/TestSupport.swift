import Tensors
import Testing

// Shared input builders and checks for the TensorsTests target.

/// A leaf tensor (requiresGrad) of uniform values in `low..<high`, reproducible from `seed`.
func uniformInput(
  _ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1, requiresGrad: Bool = true
) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  return Tensor.uniform(shape, low: low, high: high, using: &generator, requiresGrad: requiresGrad)
}

/// A leaf tensor whose magnitudes lie in `minimum...maximum` with random signs:
/// no element is near 0 (the kink of relu, abs, leakyRelu and the pole of 1/x).
func awayFromZeroInput(
  _ shape: [Int], seed: UInt64, minimum: Float = 0.2, maximum: Float = 1.5,
  requiresGrad: Bool = true
) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  let count = shape.reduce(1, *)
  let scalars = (0..<count).map { _ -> Float in
    let magnitude = generator.nextUniform(minimum, maximum)
    return generator.nextUniform() < 0.5 ? -magnitude : magnitude
  }
  return Tensor(shape: shape, scalars: scalars, requiresGrad: requiresGrad)
}

/// A leaf tensor of uniform values that keeps at least `margin` away from each of `points`
/// (clamp bounds), by resampling.
func inputAvoiding(
  _ points: [Float], shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1,
  margin: Float = 0.05
) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  let count = shape.reduce(1, *)
  let scalars = (0..<count).map { _ -> Float in
    while true {
      let value = generator.nextUniform(low, high)
      if points.allSatisfy({ Swift.abs(value - $0) >= margin }) { return value }
    }
  }
  return Tensor(shape: shape, scalars: scalars, requiresGrad: true)
}

/// A leaf tensor of pairwise distinct values at least 0.08 apart, in random order:
/// max, min, argmax and topK have no ties, even after a finite-difference step.
func distinctInput(_ shape: [Int], seed: UInt64, requiresGrad: Bool = true) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  let count = shape.reduce(1, *)
  let order = generator.permutation(count)
  let scalars = order.map { rank -> Float in
    Float(rank) * 0.1 - Float(count) * 0.05 + generator.nextUniform(0, 0.02)
  }
  return Tensor(shape: shape, scalars: scalars, requiresGrad: requiresGrad)
}

/// Values on the grid k/10 + `offset` (k in -10...10) plus noise below 0.01: two such tensors
/// with offsets 0.03 and 0.08 differ by at least 0.04 everywhere (no ties in maximum/minimum).
func gridInput(_ shape: [Int], seed: UInt64, offset: Float) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  let count = shape.reduce(1, *)
  let scalars = (0..<count).map { _ -> Float in
    Float(generator.nextInt(below: 21) - 10) * 0.1 + offset + generator.nextUniform(0, 0.01)
  }
  return Tensor(shape: shape, scalars: scalars, requiresGrad: true)
}

/// A constant 0/1 mask (no gradient).
func randomMask(_ shape: [Int], seed: UInt64) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  let count = shape.reduce(1, *)
  return Tensor(shape: shape, scalars: (0..<count).map { _ in generator.nextUniform() < 0.5 ? 1 : 0 })
}

/// Expects the analytic gradients of `function` at `inputs` to match central finite differences.
/// The default tolerance, 1e-3, holds for every op at the small random inputs used here.
func expectGradientsMatch(
  _ inputs: [Tensor], tolerance: Double = 1e-3, sourceLocation: SourceLocation = #_sourceLocation,
  _ function: ([Tensor]) -> Tensor
) {
  let report = checkGradients(of: function, at: inputs)
  #expect(
    report.checkedElements == inputs.reduce(0) { $0 + $1.count }, sourceLocation: sourceLocation)
  #expect(report.passes(tolerance: tolerance), "\(report)", sourceLocation: sourceLocation)
}

/// Expects `actual` to equal `expected` element by element within `tolerance` (absolute).
func expectClose(
  _ actual: [Float], _ expected: [Float], tolerance: Float = 1e-5,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(actual.count == expected.count, "counts differ", sourceLocation: sourceLocation)
  // Written so that a NaN anywhere fails (NaN <= tolerance is false).
  let close = zip(actual, expected).allSatisfy { Swift.abs($0 - $1) <= tolerance }
  #expect(close, "got \(actual), expected \(expected)", sourceLocation: sourceLocation)
}

/// Expects `tensor` to have `shape` and elements close to `expected`.
func expectTensor(
  _ tensor: Tensor, shape: [Int], _ expected: [Float], tolerance: Float = 1e-5,
  sourceLocation: SourceLocation = #_sourceLocation
) {
  #expect(tensor.shape == shape, sourceLocation: sourceLocation)
  expectClose(tensor.scalars, expected, tolerance: tolerance, sourceLocation: sourceLocation)
}
