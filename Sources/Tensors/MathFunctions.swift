#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Thin names over the C math library, so op files read like the formulas.
@inline(__always) func _exp(_ x: Float) -> Float { expf(x) }
@inline(__always) func _log(_ x: Float) -> Float { logf(x) }
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _pow(_ x: Float, _ y: Float) -> Float { powf(x, y) }

/// log(1 + e^x) without overflow for large x or loss of precision for very negative x.
@inline(__always) func _softplus(_ x: Float) -> Float {
  x > 20 ? x : (x < -20 ? expf(x) : log1pf(expf(x)))
}
