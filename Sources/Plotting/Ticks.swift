/// Tick positions and their labels for one axis.
public struct AxisTicks: Equatable, Sendable {
  /// Where the labelled ticks go, in data units, increasing.
  public var values: [Double]
  /// One label per value.
  public var labels: [String]
  /// Unlabelled ticks between the labelled ones (2..9 times each power of ten on log axes).
  public var minorValues: [Double]

  public init(values: [Double], labels: [String], minorValues: [Double] = []) {
    self.values = values
    self.labels = labels
    self.minorValues = minorValues
  }

  /// Ticks at 1, 2 or 5 times a power of ten: the smallest such step that gives at most
  /// `maximumCount` ticks between `lower` and `upper` (both included when they fall on a step),
  /// and no step below `minimumStep` (1 for an axis of whole numbers).
  public static func linear(lower: Double, upper: Double, maximumCount: Int = 8, minimumStep: Double = 0)
    -> AxisTicks
  {
    guard lower.isFinite, upper.isFinite, upper > lower else {
      return lower.isFinite
        ? AxisTicks(values: [lower], labels: [NumberFormat.compact(lower, significantDigits: 6)])
        : AxisTicks(values: [], labels: [])
    }
    let count = max(2, maximumCount)
    let span = upper - lower
    let startExponent = NumberFormat.decimalExponent(span / Double(count)) - 1
    for exponent in startExponent...(startExponent + 4) {
      for multiplier in [1, 2, 5] {
        let step = Double(multiplier) * NumberFormat.tenToThe(exponent)
        if step < minimumStep { continue }
        // A little tolerance keeps 0.3 / 0.1 = 2.9999999999999996 on its grid line.
        let first = Int((lower / step - 1e-9).rounded(.up))
        let last = Int((upper / step + 1e-9).rounded(.down))
        guard last - first + 1 <= count else { continue }
        let values = (first...max(first, last)).map { index -> Double in
          // Multiplying integers first, then one exact power of ten: 3 x 0.1 gives 0.3.
          let units = Double(index * multiplier)
          return exponent >= 0
            ? units * NumberFormat.tenToThe(exponent) : units / NumberFormat.tenToThe(-exponent)
        }.filter { $0 >= lower - step * 1e-9 && $0 <= upper + step * 1e-9 }
        return AxisTicks(values: values, labels: NumberFormat.tickLabels(values, step: step))
      }
    }
    return AxisTicks(
      values: [lower, upper], labels: [lower, upper].map { NumberFormat.compact($0) })
  }

  /// Ticks for a log axis: powers of ten, thinned to at most `maximumCount`. A short range (up to
  /// three decades, as a loss curve's often is) labels every power of ten and the 2x and 5x
  /// multiples between them (and 3x over up to two decades), also below the lowest power and above
  /// the highest, so no part of the data lies far beyond a label; those may exceed `maximumCount` by
  /// up to two, since log labels are short. Within one decade the ticks may fall back to linear steps.
  public static func logarithmic(lower: Double, upper: Double, maximumCount: Int = 8) -> AxisTicks {
    guard lower > 0, upper > lower, lower.isFinite, upper.isFinite else {
      return linear(lower: lower, upper: upper, maximumCount: maximumCount)
    }
    let low = log10Of(lower)
    let high = log10Of(upper)
    let firstExponent = Int((low - 1e-9).rounded(.up))
    let lastExponent = Int((high + 1e-9).rounded(.down))
    let decades = lastExponent - firstExponent + 1
    let count = max(2, maximumCount)
    func label(_ value: Double) -> String {
      let exponent = NumberFormat.decimalExponent(value)
      if exponent >= 5 || exponent <= -4 {
        return NumberFormat.scientific(value, significantDigits: 2)
      }
      return NumberFormat.fixed(value, decimals: max(0, -exponent))
    }
    if decades >= 4 {
      let stride = (decades + count - 1) / count
      let exponents = (firstExponent...lastExponent).filter { ($0 - firstExponent) % stride == 0 }
      let values = exponents.map {
        $0 >= 0 ? NumberFormat.tenToThe($0) : 1 / NumberFormat.tenToThe(-$0)
      }
      let minor = stride == 1 ? minorTicks(lower: lower, upper: upper) : []
      return AxisTicks(values: values, labels: values.map(label), minorValues: minor)
    }
    // Short ranges: 1-2-3-5 steps over up to two decades, 1-2-5 over three; the first set that fits.
    var values: [Double] = []
    let multiplierSets: [[Double]] = decades <= 2 ? [[1, 2, 3, 5], [1, 2, 5]] : [[1, 2, 5]]
    for multipliers in multiplierSets {
      values = []
      for exponent in (firstExponent - 1)...(lastExponent + 1) {
        for multiplier in multipliers {
          // Dividing by an exact power of ten gives the double nearest to 0.05, not 5 x 0.01.
          let value =
            exponent >= 0
            ? multiplier * NumberFormat.tenToThe(exponent)
            : multiplier / NumberFormat.tenToThe(-exponent)
          if value >= lower * (1 - 1e-9) && value <= upper * (1 + 1e-9) { values.append(value) }
        }
      }
      if values.count >= 3 && values.count <= count + 2 {
        return AxisTicks(values: values, labels: values.map(label))
      }
    }
    // Too many 2x and 5x ticks for the space: powers of ten with unlabelled minor ticks keep
    // the axis reading as logarithmic; linear steps only when fewer than two powers fit.
    if decades >= 2 {
      let powers = (firstExponent...lastExponent).map {
        $0 >= 0 ? NumberFormat.tenToThe($0) : 1 / NumberFormat.tenToThe(-$0)
      }
      return AxisTicks(
        values: powers, labels: powers.map(label),
        minorValues: minorTicks(lower: lower, upper: upper))
    }
    let fallback = linear(lower: lower, upper: upper, maximumCount: min(count, 6))
    return fallback.values.count >= 2
      ? fallback : AxisTicks(values: values, labels: values.map(label))
  }
}

/// 2, 3, ... 9 times each power of ten between `lower` and `upper`.
func minorTicks(lower: Double, upper: Double) -> [Double] {
  let first = NumberFormat.decimalExponent(lower)
  let last = NumberFormat.decimalExponent(upper)
  var minor: [Double] = []
  for exponent in first...max(first, last) {
    for multiplier in 2...9 {
      let value =
        exponent >= 0
        ? Double(multiplier) * NumberFormat.tenToThe(exponent)
        : Double(multiplier) / NumberFormat.tenToThe(-exponent)
      if value >= lower && value <= upper { minor.append(value) }
    }
  }
  return minor
}

/// The data range an axis shows.
public enum AxisRange {
  /// `lower...upper` widened by `padding` (a fraction of the span) on each side. A constant
  /// series (lower == upper) gets a range around its value instead of an empty one.
  public static func padded(
    lower: Double, upper: Double, padding: Double = 0.05, includeZero: Bool = false
  ) -> (lower: Double, upper: Double) {
    var low = lower
    var high = upper
    if includeZero {
      low = min(low, 0)
      high = max(high, 0)
    }
    if high - low <= abs(high) * 1e-12 {
      let half = low == 0 ? 1 : abs(low) * 0.1
      return (low - half, high + half)
    }
    let margin = (high - low) * padding
    // Padding must not push a zero baseline (bars, counts) below zero.
    let paddedLow = includeZero && low == 0 ? 0 : low - margin
    let paddedHigh = includeZero && high == 0 ? 0 : high + margin
    return (paddedLow, paddedHigh)
  }

  /// The same for a log axis: padding is applied to the logarithms; the values must be positive.
  public static func paddedLogarithmic(lower: Double, upper: Double, padding: Double = 0.05) -> (
    lower: Double, upper: Double
  ) {
    if upper <= lower * (1 + 1e-12) { return (lower / power(10, 0.5), upper * power(10, 0.5)) }
    let low = log10Of(lower)
    let high = log10Of(upper)
    let margin = (high - low) * padding
    return (power(10, low - margin), power(10, high + margin))
  }
}
