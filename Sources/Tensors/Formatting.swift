import Support

/// `value` with exactly `decimals` digits after the point, rounded half away from zero,
/// without Foundation and without float noise: formatDecimal(0.1, decimals: 3) == "0.100".
/// Non-finite values print as "nan", "inf" and "-inf". Used wherever printed numbers must be stable;
/// the digits come from `Support.NumberFormat.decimal`.
public func formatDecimal(_ value: Float, decimals: Int) -> String {
  NumberFormat.decimal(Double(value), decimals: decimals)
}

/// `value` with exactly `decimals` digits after the point (see the `Float` overload).
public func formatDecimal(_ value: Double, decimals: Int) -> String {
  NumberFormat.decimal(value, decimals: decimals)
}
