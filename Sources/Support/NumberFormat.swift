#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Number to text without Foundation, and without the float noise of `description`
/// (`Float(0.1)` prints as 0.1, not 0.10000000149011612). One home for the printed numbers of lessons,
/// figure labels and reports, so that the same value reads the same everywhere.
public enum NumberFormat {
  static let powersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  /// 10^exponent, exact for |exponent| <= 22 (the range where doubles hold powers of ten exactly).
  public static func tenToThe(_ exponent: Int) -> Double {
    if exponent >= 0 && exponent <= 22 { return powersOfTen[exponent] }
    if exponent < 0 && exponent >= -22 { return 1 / powersOfTen[-exponent] }
    return pow(10, Double(exponent))
  }

  /// The decimal exponent of |value|: 0 for 1...9.99, -1 for 0.1...0.999, 3 for 1000...
  public static func decimalExponent(_ value: Double) -> Int {
    guard value != 0, value.isFinite else { return 0 }
    var exponent = Int(log10(abs(value)).rounded(.down))
    // log10 can land a hair below an exact power of ten.
    if abs(value) >= tenToThe(exponent + 1) { exponent += 1 }
    if abs(value) < tenToThe(exponent) { exponent -= 1 }
    return exponent
  }

  /// The fixed-point digits of a finite `value`, rounded half away from zero, with `decimals` (clamped to
  /// 0...15) digits after the point; nil when |value| * 10^decimals reaches `limit`, beyond which integer
  /// arithmetic would no longer be exact. A value that rounds to zero carries no minus sign.
  static func fixedPointDigits(_ value: Double, decimals: Int, limit: Double) -> String? {
    let places = max(0, min(15, decimals))
    let scale = tenToThe(places)
    let magnitude = abs(value) * scale
    guard magnitude < limit else { return nil }
    let digits = UInt64(magnitude.rounded(.toNearestOrAwayFromZero))
    var text = digits != 0 && value < 0 ? "-" : ""
    text += String(digits / UInt64(scale))
    if places > 0 {
      let fraction = String(digits % UInt64(scale))
      text += "." + String(repeating: "0", count: places - fraction.count) + fraction
    }
    return text
  }

  /// `value` with exactly `decimals` digits after the point, as lessons print it:
  /// decimal(0.1, decimals: 3) is "0.100". Non-finite values print as "nan", "inf" and "-inf"; values too
  /// large for exact integer arithmetic (|value| * 10^decimals >= 9e18) print in their shortest
  /// round-trip form.
  public static func decimal(_ value: Double, decimals: Int) -> String {
    if value.isNaN { return "nan" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return fixedPointDigits(value, decimals: decimals, limit: 9e18) ?? "\(value)"
  }

  /// A fraction as a percentage with `decimals` digits: percent(0.1234, decimals: 1) is "12.3%".
  /// Non-finite fractions print as `decimal` prints them, without the sign.
  public static func percent(_ fraction: Double, decimals: Int) -> String {
    guard fraction.isFinite else { return decimal(fraction, decimals: decimals) }
    return decimal(fraction * 100, decimals: decimals) + "%"
  }

  /// `value` with exactly `decimals` digits after the point, as figure labels print it:
  /// fixed(-0.5, decimals: 2) is "-0.50". Non-finite values print as "NaN", "inf" and "-inf"; values too
  /// large for exact integer arithmetic (|value| * 10^decimals >= 9e15) fall back to scientific notation.
  public static func fixed(_ value: Double, decimals: Int) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return fixedPointDigits(value, decimals: decimals, limit: 9e15) ?? scientific(value, significantDigits: 6)
  }

  /// Scientific notation with trailing zeros dropped: 0.00025 is "2.5e-4", 100000 is "1e5".
  public static func scientific(_ value: Double, significantDigits: Int = 3) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == 0 { return "0" }
    var exponent = decimalExponent(value)
    let places = max(0, significantDigits - 1)
    var mantissa = (abs(value) / tenToThe(exponent) * tenToThe(places)).rounded() / tenToThe(places)
    if mantissa >= 10 {
      mantissa /= 10
      exponent += 1
    }
    let sign = value < 0 ? "-" : ""
    return sign + trimmingZeros(fixed(mantissa, decimals: places)) + "e" + String(exponent)
  }

  /// A short form for annotations and notes: up to `significantDigits` digits, trailing zeros
  /// dropped, scientific notation below 0.0001 and from a million up.
  public static func compact(_ value: Double, significantDigits: Int = 3) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    if value == 0 { return "0" }
    let exponent = decimalExponent(value)
    if exponent >= 6 || exponent < -4 {
      return scientific(value, significantDigits: significantDigits)
    }
    let decimals = max(0, significantDigits - 1 - exponent)
    let text = trimmingZeros(fixed(value, decimals: decimals))
    return text == "-0" ? "0" : text
  }

  /// Labels for evenly spaced ticks `step` apart: every label gets the same number of
  /// decimals, just enough to tell neighbours apart.
  public static func tickLabels(_ values: [Double], step: Double) -> [String] {
    let largest = values.map { abs($0) }.max() ?? 0
    let stepExponent = decimalExponent(step)
    if largest >= 1e6 || (largest > 0 && largest < 1e-3) {
      let digits = max(1, decimalExponent(largest) - stepExponent + 1)
      return values.map { $0 == 0 ? "0" : scientific($0, significantDigits: digits) }
    }
    // Steps are 1, 2 or 5 times a power of ten, so the step's exponent gives the decimals;
    // steps like 2.5 get one more.
    var decimals = max(0, -stepExponent)
    let mantissa = step / tenToThe(stepExponent)
    if abs(mantissa - mantissa.rounded()) > 1e-6 { decimals += 1 }
    return values.map { fixed($0, decimals: decimals) }
  }

  /// `text` without trailing zeros after a decimal point, nor a bare point: "2.50" is "2.5", "3.0" is "3".
  public static func trimmingZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var result = text
    while result.hasSuffix("0") { result.removeLast() }
    if result.hasSuffix(".") { result.removeLast() }
    return result
  }
}
