/// A seeded random number generator: xoshiro256** (Blackman and Vigna 2018), seeded through SplitMix64.
///
/// Same seed, same stream, on every machine and run. It is a value type passed `inout`
/// (Swift 6 forbids global mutable state), so a program's randomness is explicit.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: (UInt64, UInt64, UInt64, UInt64)

  /// Expands `seed` into the 256-bit state with SplitMix64, as the xoshiro authors recommend.
  public init(seed: UInt64) {
    var splitMix = seed
    func nextSplitMix() -> UInt64 {
      splitMix &+= 0x9E37_79B9_7F4A_7C15
      var z = splitMix
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
  }

  /// The generator's 256-bit state as four words, to save it (a checkpoint that resumes a run exactly).
  public var stateWords: [UInt64] { [state.0, state.1, state.2, state.3] }

  /// A generator that continues from a state saved with `stateWords`; nil unless four words are given.
  public init?(stateWords words: [UInt64]) {
    guard words.count == 4 else { return nil }
    state = (words[0], words[1], words[2], words[3])
  }

  public mutating func next() -> UInt64 {
    let result = rotateLeft(state.1 &* 5, 7) &* 9
    let shifted = state.1 << 17
    state.2 ^= state.0
    state.3 ^= state.1
    state.1 ^= state.2
    state.0 ^= state.3
    state.2 ^= shifted
    state.3 = rotateLeft(state.3, 45)
    return result
  }

  @inline(__always)
  private func rotateLeft(_ value: UInt64, _ amount: UInt64) -> UInt64 {
    (value << amount) | (value >> (64 - amount))
  }

  /// Uniform in [0, 1) with 24 random bits: exactly representable, the same on every platform
  /// (`Float.random(in:using:)` does not promise a stable algorithm).
  @inline(__always)
  public mutating func nextUniform() -> Float {
    Float(next() >> 40) * 0x1p-24
  }

  /// Uniform in [low, high).
  @inline(__always)
  public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
    low + (high - low) * nextUniform()
  }

  /// Standard normal by the Box-Muller transform, computed in Double for accuracy.
  public mutating func nextNormal() -> Float {
    // 53-bit uniform in (0, 1]: log never sees zero.
    let u1 = (Double(next() >> 11) + 1) * 0x1p-53
    let u2 = Double(next() >> 11) * 0x1p-53
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }

  /// A uniformly chosen integer in 0..<upperBound (Lemire's unbiased method via the standard library).
  public mutating func nextInt(below upperBound: Int) -> Int {
    if upperBound <= 0 { tensorFailure("nextInt(below:): upper bound \(upperBound) must be positive") }
    return Int(next(upperBound: UInt64(upperBound)))
  }

  /// The integers 0..<count in a random order (Fisher-Yates).
  public mutating func permutation(_ count: Int) -> [Int] {
    var values = Array(0..<count)
    var index = count - 1
    while index > 0 {
      let other = nextInt(below: index + 1)
      values.swapAt(index, other)
      index -= 1
    }
    return values
  }
}
