import CRandomKernels

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
    let first = next()
    return Self.boxMuller(first, next())
  }

  /// z = sqrt(-2 ln u1) cos(2 pi u2) from two generator words, u1 = (first >> 11 + 1) 2^-53 in (0, 1]
  /// (log never sees zero) and u2 = (second >> 11) 2^-53 in [0, 1), in Double, rounded once to Float.
  @inline(__always)
  static func boxMuller(_ first: UInt64, _ second: UInt64) -> Float {
    let u1 = (Double(first >> 11) + 1) * 0x1p-53
    let u2 = Double(second >> 11) * 0x1p-53
    return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
  }

  /// Fills `buffer` with `nextNormal()` draws: the same values in the same order, and the generator
  /// ends in the same state, but about ten times faster. The words are drawn first, then transformed
  /// in bulk by a vectorized kernel that takes libm's result wherever its own error bound cannot
  /// decide the rounding to Float (a few draws in 100,000), so every value is bit-identical.
  public mutating func fillNormal(_ buffer: UnsafeMutableBufferPointer<Float>) {
    let chunk = 512
    withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 2 * chunk) { words in
      var start = 0
      while start < buffer.count {
        let count = Swift.min(chunk, buffer.count - start)
        for index in 0..<(2 * count) { words[index] = next() }
        Self.boxMuller(words: words.baseAddress!, into: buffer.baseAddress! + start, count: count)
        start += count
      }
    }
  }

  /// `boxMuller(words[2i], words[2i + 1])` into output[i] for i in 0..<count, vectorized.
  static func boxMuller(words: UnsafePointer<UInt64>, into output: UnsafeMutablePointer<Float>, count: Int) {
    guard count > 0 else { return }
    let undecided = random_kernels_box_muller(words, output, count)
    if undecided > 0 {
      for index in 0..<count where output[index].isNaN {
        output[index] = boxMuller(words[2 * index], words[2 * index + 1])
      }
    }
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
