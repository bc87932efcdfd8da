#if canImport(Glibc)
  import Glibc
#endif

/// Inputs and targets of a regression problem, one row per sample.
public struct RegressionData {
  /// [N, inputSize]
  public let inputs: Tensor
  /// [N, outputSize]
  public let targets: Tensor

  public init(inputs: Tensor, targets: Tensor) {
    if inputs.rank != 2 || targets.rank != 2 || inputs.shape[0] != targets.shape[0] {
      tensorFailure("RegressionData: inputs \(inputs.shape) and targets \(targets.shape) must be [N, d] and [N, o]")
    }
    self.inputs = inputs
    self.targets = targets
  }

  public var count: Int { inputs.shape[0] }

  /// Rows `range`, as a new data set.
  public func rows(_ range: Range<Int>) -> RegressionData {
    RegressionData(inputs: inputs.slice(axis: 0, range), targets: targets.slice(axis: 0, range))
  }

  /// The first `fraction` of the rows for training, the rest for validation.
  public func split(trainingFraction fraction: Double) -> (training: RegressionData, validation: RegressionData) {
    if !(fraction > 0 && fraction < 1) {
      tensorFailure("RegressionData.split: trainingFraction must lie strictly between 0 and 1, got \(fraction)")
    }
    let cut = Int((Double(count) * fraction).rounded())
    return (rows(0..<cut), rows(cut..<count))
  }

  /// Mini-batches of `size` rows in an order shuffled by `generator` (the last batch may be smaller).
  public func batches(size: Int, using generator: inout SeededGenerator) -> [RegressionData] {
    if size < 1 { tensorFailure("RegressionData.batches: size must be at least 1, got \(size)") }
    let order = generator.permutation(count)
    return stride(from: 0, to: count, by: size).map { start in
      let rows = Array(order[start..<min(start + size, count)])
      return RegressionData(inputs: inputs.indexSelect(rows: rows), targets: targets.indexSelect(rows: rows))
    }
  }
}

/// Synthetic problems where the mechanism, not the data, is the lesson.
public enum SyntheticData {
  /// y = sum_i x_i^2 with x ~ N(0, 1)^dimension: a smooth bowl, the regression of chapter 5.
  public static func sumOfSquares(count: Int, dimension: Int = 10, using generator: inout SeededGenerator)
    -> RegressionData
  {
    let x = Tensor.normal([count, dimension], using: &generator)
    return RegressionData(inputs: x, targets: x.squared().sum(axis: 1, keepDimensions: true))
  }

  /// The four regimes of the input plane [-1, 1]^2, one per quadrant:
  ///
  ///     x1 >= 0, x2 >= 0:  y = x1 + x2        (a plane)
  ///     x1 <  0, x2 >= 0:  y = sin(2 pi x1)   (one full sine period)
  ///     x1 <  0, x2 <  0:  y = x1 x2          (a saddle, positive here)
  ///     x1 >= 0, x2 <  0:  y = -1             (a constant)
  public static func quadrantTarget(_ x1: Float, _ x2: Float) -> Float {
    switch (x1 >= 0, x2 >= 0) {
    case (true, true): return x1 + x2
    case (false, true): return sinf(2 * .pi * x1)
    case (false, false): return x1 * x2
    case (true, false): return -1
    }
  }

  /// Quadrant index 0...3 in the order of `quadrantTarget`'s cases (Q1 top right, Q2 top left,
  /// Q3 bottom left, Q4 bottom right).
  public static func quadrant(_ x1: Float, _ x2: Float) -> Int {
    switch (x1 >= 0, x2 >= 0) {
    case (true, true): return 0
    case (false, true): return 1
    case (false, false): return 2
    case (true, false): return 3
    }
  }

  /// `count` points uniform in [-1, 1]^2 with `quadrantTarget` as the target.
  public static func quadrants(count: Int, using generator: inout SeededGenerator) -> RegressionData {
    let x = Tensor.uniform([count, 2], low: -1, high: 1, using: &generator)
    let targets = x.withScalars { p in (0..<count).map { quadrantTarget(p[2 * $0], p[2 * $0 + 1]) } }
    return RegressionData(inputs: x, targets: Tensor(shape: [count, 1], scalars: targets))
  }

  /// A 1-D target with three regimes on [-1, 1], each easy for one small network and hard for a
  /// single one to get all at once:
  ///
  ///     x < -1/3:          y = -2 x - 1.5          (a falling line)
  ///     -1/3 <= x < 1/3:   y = 0.8 sin(3 pi x)     (a fast wiggle)
  ///     x >= 1/3:          y = 3 (x - 2/3)^2 - 0.2  (a parabola)
  public static func piecewiseTarget(_ x: Float) -> Float {
    if x < -1.0 / 3 { return -2 * x - 1.5 }
    if x < 1.0 / 3 { return 0.8 * sinf(3 * .pi * x) }
    let d = x - 2.0 / 3
    return 3 * d * d - 0.2
  }

  /// Regime index 0, 1, 2 of `piecewiseTarget` at x.
  public static func piecewiseRegime(_ x: Float) -> Int { x < -1.0 / 3 ? 0 : (x < 1.0 / 3 ? 1 : 2) }

  /// `count` points uniform in [-1, 1] with `piecewiseTarget` (plus Gaussian noise of `noise` standard deviation).
  public static func piecewise(count: Int, noise: Float = 0, using generator: inout SeededGenerator) -> RegressionData {
    let x = Tensor.uniform([count, 1], low: -1, high: 1, using: &generator)
    let targets = x.withScalars { p in p.map { piecewiseTarget($0) + noise * generator.nextNormal() } }
    return RegressionData(inputs: x, targets: Tensor(shape: [count, 1], scalars: targets))
  }

  /// `count` evenly spaced points from `low` to `high` inclusive, as a [count, 1] column (for plotting curves).
  public static func grid(from low: Float, to high: Float, count: Int) -> Tensor {
    if count < 2 { tensorFailure("SyntheticData.grid: count must be at least 2, got \(count)") }
    let step = (high - low) / Float(count - 1)
    return Tensor(shape: [count, 1], scalars: (0..<count).map { low + Float($0) * step })
  }
}
