/// Number to text without Foundation, and without the float noise of `description`
/// (`Float(0.1)` prints as 0.1, not 0.10000000149011612).
public enum NumberFormat {
  static let powersOfTen: [Double] = (0...22).map { exponent in
    var value = 1.0
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  /// 10^exponent, exact for |exponent| <= 22 (the range where doubles hold powers of ten exactly).
  static func tenToThe(_ exponent: Int) -> Double {
    if exponent >= 0 && exponent <= 22 { return powersOfTen[exponent] }
    if exponent < 0 && exponent >= -22 { return 1 / powersOfTen[-exponent] }
    return power(10, Double(exponent))
  }

  /// The decimal exponent of |value|: 0 for 1...9.99, -1 for 0.1...0.999, 3 for 1000...
  static func decimalExponent(_ value: Double) -> Int {
    guard value != 0, value.isFinite else { return 0 }
    var exponent = Int(log10Of(abs(value)).rounded(.down))
    // log10 can land a hair below an exact power of ten.
    if abs(value) >= tenToThe(exponent + 1) { exponent += 1 }
    if abs(value) < tenToThe(exponent) { exponent -= 1 }
    return exponent
  }

  /// `value` with exactly `decimals` digits after the point: fixed(-0.5, decimals: 2) is "-0.50".
  /// Values too large for exact integer arithmetic fall back to scientific notation.
  public static func fixed(_ value: Double, decimals: Int) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    let places = max(0, min(15, decimals))
    let scale = tenToThe(places)
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 9e15 else { return scientific(value, significantDigits: 6) }
    let digits = UInt64(scaled)
    let integerPart = digits / UInt64(scale)
    var text = digits != 0 && value < 0 ? "-" : ""
    text += String(integerPart)
    if places > 0 {
      let fraction = String(digits % UInt64(scale))
      text += "." + String(repeating: "0", count: places - fraction.count) + fraction
    }
    return text
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

  static func trimmingZeros(_ text: String) -> String {
    guard text.contains(".") else { return text }
    var result = text
    while result.hasSuffix("0") { result.removeLast() }
    if result.hasSuffix(".") { result.removeLast() }
    return result
  }
}
