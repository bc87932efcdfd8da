extension Tensor {
  /// All zeros.
  public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    full(shape, value: 0, requiresGrad: requiresGrad)
  }

  /// All ones.
  public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
    full(shape, value: 1, requiresGrad: requiresGrad)
  }

  /// Every element equal to `value`.
  public static func full(_ shape: [Int], value: Float, requiresGrad: Bool = false) -> Tensor {
    if shape.contains(where: { $0 < 0 }) { tensorFailure("full: negative dimension in shape \(shape)") }
    return Tensor(
      shape: shape, scalars: [Float](repeating: value, count: shapeProduct(shape)),
      requiresGrad: requiresGrad)
  }

  /// A zero tensor shaped like `other`.
  public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

  /// 0, 1, ... up to but excluding `end` (a vector).
  public static func arange(_ end: Float) -> Tensor { arange(0, end) }

  /// start, start + step, ... up to but excluding `end` (a vector).
  public static func arange(_ start: Float, _ end: Float, step: Float = 1) -> Tensor {
    if step == 0 || !step.isFinite { tensorFailure("arange: step \(step) must be finite and non-zero") }
    let count = Swift.max(0, Int(((end - start) / step).rounded(.up)))
    return Tensor(shape: [count], scalars: (0..<count).map { start + Float($0) * step })
  }

  /// The n x n identity matrix.
  public static func eye(_ n: Int) -> Tensor {
    var scalars = [Float](repeating: 0, count: n * n)
    for index in 0..<n { scalars[index * n + index] = 1 }
    return Tensor(shape: [n, n], scalars: scalars)
  }

  /// Normal samples with the given mean and standard deviation.
  public static func normal(
    _ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
    using generator: inout SeededGenerator, requiresGrad: Bool = false
  ) -> Tensor {
    if shape.contains(where: { $0 < 0 }) { tensorFailure("normal: negative dimension in shape \(shape)") }
    let count = shapeProduct(shape)
    let scalars = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
      generator.fillNormal(buffer)
      for index in 0..<count { buffer[index] = mean + standardDeviation * buffer[index] }
      initialized = count
    }
    return Tensor(shape: shape, scalars: scalars, requiresGrad: requiresGrad)
  }

  /// Uniform samples in [low, high).
  public static func uniform(
    _ shape: [Int], low: Float = 0, high: Float = 1,
    using generator: inout SeededGenerator, requiresGrad: Bool = false
  ) -> Tensor {
    var scalars = [Float](repeating: 0, count: shapeProduct(shape))
    for index in scalars.indices { scalars[index] = generator.nextUniform(low, high) }
    return Tensor(shape: shape, scalars: scalars, requiresGrad: requiresGrad)
  }

  /// Kaiming (He) uniform initialization: U(-b, b) with b = gain * sqrt(3 / fanIn).
  /// With gain = 1/sqrt(3) this is PyTorch's default for Linear and Conv2d weights
  /// (kaiming_uniform_ with a = sqrt(5)), i.e. b = 1 / sqrt(fanIn).
  public static func kaimingUniform(
    _ shape: [Int], fanIn: Int, gain: Float = 1.414_213_6,
    using generator: inout SeededGenerator, requiresGrad: Bool = false
  ) -> Tensor {
    let bound = gain * (3 / Float(Swift.max(fanIn, 1))).squareRoot()
    return uniform(shape, low: -bound, high: bound, using: &generator, requiresGrad: requiresGrad)
  }

  /// Kaiming (He) normal initialization: N(0, gain^2 / fanIn); gain sqrt(2) suits ReLU.
  public static func kaimingNormal(
    _ shape: [Int], fanIn: Int, gain: Float = 1.414_213_6,
    using generator: inout SeededGenerator, requiresGrad: Bool = false
  ) -> Tensor {
    normal(
      shape, standardDeviation: gain / Float(Swift.max(fanIn, 1)).squareRoot(), using: &generator,
      requiresGrad: requiresGrad)
  }

  /// Xavier (Glorot) uniform initialization: U(-b, b) with b = gain * sqrt(6 / (fanIn + fanOut)).
  public static func xavierUniform(
    _ shape: [Int], fanIn: Int, fanOut: Int, gain: Float = 1,
    using generator: inout SeededGenerator, requiresGrad: Bool = false
  ) -> Tensor {
    let bound = gain * (6 / Float(Swift.max(fanIn + fanOut, 1))).squareRoot()
    return uniform(shape, low: -bound, high: bound, using: &generator, requiresGrad: requiresGrad)
  }

  /// Rows of the identity: result[i, labels[i]] = 1. Every label must lie in 0..<classes.
  public static func oneHot(_ labels: [Int], classes: Int) -> Tensor {
    var scalars = [Float](repeating: 0, count: labels.count * classes)
    for (row, label) in labels.enumerated() {
      if label < 0 || label >= classes {
        tensorFailure("oneHot: label \(label) at position \(row) is outside 0..<\(classes)")
      }
      scalars[row * classes + label] = 1
    }
    return Tensor(shape: [labels.count, classes], scalars: scalars)
  }
}
