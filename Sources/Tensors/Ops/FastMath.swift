// Branch-free exp, sigmoid and tanh that LLVM can vectorize inside element loops (the C library's
// expf and tanhf are opaque calls, one element at a time), from Cephes' single-precision
// polynomials. Measured against Double on [-30, 30]: exp relative error 8e-8, tanh relative error
// 1.4e-7, sigmoid absolute error 9e-8. The Float and 8-lane versions give identical results.

/// e^x for x in [-87.3, 88]; x is clamped to that range (so the result stays a normal Float: e^88 = 1.65e38
/// stands in for larger powers, which only ever feed 1 / (1 + e^x) here).
@inline(__always)
func vectorizableExp(_ x: Float) -> Float {
  let clamped = Swift.min(Swift.max(x, -87.336_54), 88)
  // n = round(x / ln 2) by the 1.5 * 2^23 trick: the sum's low mantissa bits hold n.
  let shifted = clamped * 1.442_695_04 + 12_582_912
  let n = shifted - 12_582_912
  // r = x - n ln 2 in two parts (Cody-Waite), |r| <= ln 2 / 2.
  let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
  let r2 = r * r
  var p: Float = 1.987_569_15e-4
  p = p * r + 1.398_199_95e-3
  p = p * r + 8.333_451_9e-3
  p = p * r + 4.166_579_59e-2
  p = p * r + 0.166_666_655
  p = p * r + 0.500_000_01
  let expR = p * r2 + r + 1
  // 2^n from the integer in the shifted value's mantissa.
  let scale = Float(bitPattern: (shifted.bitPattern &- 0x4B40_0000 &+ 127) &<< 23)
  return expR * scale
}

/// 1 / (1 + e^-x)
@inline(__always)
func vectorizableSigmoid(_ x: Float) -> Float {
  1 / (1 + vectorizableExp(-x))
}

/// tanh(x): an odd polynomial for |x| < 0.625, 1 - 2 / (e^{2|x|} + 1) with x's sign beyond.
@inline(__always)
func vectorizableTanh(_ x: Float) -> Float {
  let magnitude = Swift.abs(x)
  let z = x * x
  var p: Float = -5.704_988_72e-3
  p = p * z + 2.063_908_88e-2
  p = p * z - 5.373_971_56e-2
  p = p * z + 0.133_314_422
  p = p * z - 0.333_332_819
  let small = p * z * x + x
  let large = 1 - 2 / (vectorizableExp(2 * magnitude) + 1)
  let signedLarge = x < 0 ? -large : large
  return magnitude < 0.625 ? small : signedLarge
}

/// Eight Floats processed together (two SSE or one AVX register).
typealias FloatVector = SIMD8<Float>

@inline(__always)
func loadVector(_ pointer: UnsafePointer<Float>) -> FloatVector {
  UnsafeRawPointer(pointer).loadUnaligned(as: FloatVector.self)
}

@inline(__always)
func storeVector(_ vector: FloatVector, _ pointer: UnsafeMutablePointer<Float>) {
  UnsafeMutableRawPointer(pointer).storeBytes(of: vector, as: FloatVector.self)
}

/// `vectorizableExp` on eight lanes.
@inline(__always)
func vectorizableExp(_ x: FloatVector) -> FloatVector {
  // Clamped by selects: the standard library's pointwiseMin/Max are not always inlined.
  let low = FloatVector(repeating: -87.336_54)
  let high = FloatVector(repeating: 88)
  let clamped = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
  let shifted = clamped * 1.442_695_04 + 12_582_912
  let n = shifted - 12_582_912
  let r = (clamped - n * 0.693_359_375) - n * -2.121_944_4e-4
  let r2 = r * r
  var p = FloatVector(repeating: 1.987_569_15e-4)
  p = p * r + 1.398_199_95e-3
  p = p * r + 8.333_451_9e-3
  p = p * r + 4.166_579_59e-2
  p = p * r + 0.166_666_655
  p = p * r + 0.500_000_01
  let expR = p * r2 + r + 1
  let bits = unsafeBitCast(shifted, to: SIMD8<UInt32>.self)
  let scale = unsafeBitCast((bits &- 0x4B40_0000 &+ 127) &<< 23, to: FloatVector.self)
  return expR * scale
}

/// `vectorizableSigmoid` on eight lanes.
@inline(__always)
func vectorizableSigmoid(_ x: FloatVector) -> FloatVector {
  1 / (1 + vectorizableExp(-x))
}

/// `vectorizableTanh` on eight lanes.
@inline(__always)
func vectorizableTanh(_ x: FloatVector) -> FloatVector {
  let magnitude = unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: FloatVector.self)
  let signBits = unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x8000_0000
  let z = x * x
  var p = FloatVector(repeating: -5.704_988_72e-3)
  p = p * z + 2.063_908_88e-2
  p = p * z - 5.373_971_56e-2
  p = p * z + 0.133_314_422
  p = p * z - 0.333_332_819
  let small = p * z * x + x
  let large = 1 - 2 / (vectorizableExp(2 * magnitude) + 1)
  let signedLarge = unsafeBitCast(unsafeBitCast(large, to: SIMD8<UInt32>.self) | signBits, to: FloatVector.self)
  return signedLarge.replacing(with: small, where: magnitude .< 0.625)
}

/// The first `count` (1...8) elements at `pointer` as a vector, zeros in the remaining lanes.
@inline(__always)
func loadVector(_ pointer: UnsafePointer<Float>, count: Int) -> FloatVector {
  if count == FloatVector.scalarCount { return loadVector(pointer) }
  var vector = FloatVector()
  for lane in 0..<count { vector[lane] = pointer[lane] }
  return vector
}

/// Stores the first `count` (1...8) lanes of `vector` at `pointer`.
@inline(__always)
func storeVector(_ vector: FloatVector, _ pointer: UnsafeMutablePointer<Float>, count: Int) {
  if count == FloatVector.scalarCount { return storeVector(vector, pointer) }
  for lane in 0..<count { pointer[lane] = vector[lane] }
}
