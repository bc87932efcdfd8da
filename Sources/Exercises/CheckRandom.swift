/// Seeded inputs for checks (SplitMix64): the same seed gives every student the same inputs, so a
/// failure message can be reproduced by hand, and a rerun of the checker prints the same lines.
public struct CheckRandom: Sendable {
  private var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in `range`, rounded to two decimals so that messages show short inputs.
  public mutating func float(in range: ClosedRange<Float>) -> Float {
    let unit = Float(next() >> 40) * 0x1p-24
    return ((range.lowerBound + unit * (range.upperBound - range.lowerBound)) * 100).rounded() / 100
  }

  public mutating func int(in range: ClosedRange<Int>) -> Int {
    range.lowerBound + Int(next() % UInt64(range.count))
  }

  public mutating func floats(_ count: Int, in range: ClosedRange<Float>) -> [Float] {
    (0..<count).map { _ in float(in: range) }
  }

  public mutating func matrix(rows: Int, columns: Int, in range: ClosedRange<Float>) -> [[Float]] {
    (0..<rows).map { _ in floats(columns, in: range) }
  }
}

/// A deliberately wrong answer to one exercise, kept beside the solutions: the tests prove that the
/// check rejects it and that its message contains `expectedMessage`.
public struct WrongAnswer<Answers: Sendable>: Sendable {
  public let exercise: Int
  /// The mistake, as a teacher would name it.
  public let mistake: String
  /// The solutions with this one answer replaced.
  public let answers: Answers
  /// A part of the message the check must print, e.g. "expected [0.269, 0.731]".
  public let expectedMessage: String

  public init(exercise: Int, mistake: String, answers: Answers, expectedMessage: String) {
    self.exercise = exercise
    self.mistake = mistake
    self.answers = answers
    self.expectedMessage = expectedMessage
  }
}
