/// `value` with exactly `decimals` digits after the point, rounded half away from zero,
/// without Foundation and without float noise: formatDecimal(0.1, decimals: 3) == "0.100".
/// Non-finite values print as "nan", "inf" and "-inf". Used wherever printed numbers must be stable.
public func formatDecimal(_ value: Float, decimals: Int) -> String {
  formatDecimal(Double(value), decimals: decimals)
}

/// `value` with exactly `decimals` digits after the point (see the `Float` overload).
public func formatDecimal(_ value: Double, decimals: Int) -> String {
  if value.isNaN { return "nan" }
  if value.isInfinite { return value < 0 ? "-inf" : "inf" }
  let digits = max(0, min(decimals, 15))
  var scale = 1.0
  for _ in 0..<digits { scale *= 10 }
  let magnitude = abs(value)
  if magnitude * scale >= 9e18 {
    // Too large for exact integer arithmetic: the shortest round-trip form says it best.
    return "\(value)"
  }
  let scaled = UInt64((magnitude * scale).rounded(.toNearestOrAwayFromZero))
  let integerPart = scaled / UInt64(scale)
  var text = String(integerPart)
  if digits > 0 {
    let fraction = String(scaled % UInt64(scale))
    text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
  }
  return (value < 0 && scaled != 0 ? "-" : "") + text
}
