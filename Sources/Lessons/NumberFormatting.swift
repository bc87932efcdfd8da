import Support
import Tensors

// Stable text for lesson output: fixed decimals, no float noise, no locale, no timings.

/// `value` with exactly `decimals` digits after the point: `format(0.12345, decimals: 3) == "0.123"`.
/// Non-finite values print as `nan`, `inf` and `-inf`.
public func format(_ value: Float, decimals: Int) -> String {
  NumberFormat.decimal(Double(value), decimals: decimals)
}

/// `value` with exactly `decimals` digits after the point (see the `Float` overload).
public func format(_ value: Double, decimals: Int) -> String {
  NumberFormat.decimal(value, decimals: decimals)
}

/// A fraction as a percentage with `decimals` digits: `formatPercent(0.1234) == "12.3%"`.
public func formatPercent(_ fraction: Double, decimals: Int = 1) -> String {
  NumberFormat.percent(fraction, decimals: decimals)
}

/// A fraction as a percentage with `decimals` digits: `formatPercent(Float(0.5)) == "50.0%"`.
public func formatPercent(_ fraction: Float, decimals: Int = 1) -> String {
  formatPercent(Double(fraction), decimals: decimals)
}

/// `1 epoch`, `5 epochs`: a count with its noun, singular for one.
public func counted(_ count: Int, _ noun: String, plural: String? = nil) -> String {
  "\(count) " + (count == 1 ? noun : plural ?? noun + "s")
}
