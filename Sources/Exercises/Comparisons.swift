import Support

// Every comparison names the input it used and both values, so that a student can reproduce the
// failure by hand: "for logits [[1, 2, 3]] and k = 2 your weights are [0.5, 0.5], expected [0.269, 0.731]".

/// A number as checks print it: up to four significant digits, trailing zeros dropped.
public func describe(_ value: Double) -> String { NumberFormat.compact(value, significantDigits: 4) }
public func describe(_ value: Float) -> String { describe(Double(value)) }
public func describe(_ values: [Float]) -> String { "[" + values.map { describe($0) }.joined(separator: ", ") + "]" }
public func describe(_ values: [Double]) -> String { "[" + values.map { describe($0) }.joined(separator: ", ") + "]" }
public func describe(_ rows: [[Float]]) -> String { "[" + rows.map { describe($0) }.joined(separator: ", ") + "]" }
public func describe(_ values: [Int]) -> String { "[" + values.map(String.init).joined(separator: ", ") + "]" }
public func describe(_ rows: [[Int]]) -> String { "[" + rows.map { describe($0) }.joined(separator: ", ") + "]" }

/// True when |actual - expected| <= tolerance * max(1, |expected|): absolute near 0, relative above 1.
public func isClose(_ actual: Double, _ expected: Double, tolerance: Double) -> Bool {
  if actual.isNaN || expected.isNaN { return actual.isNaN && expected.isNaN }
  return abs(actual - expected) <= tolerance * max(1, abs(expected))
}

/// Fails with "for <input> your <name> is <actual>, expected <expected>" unless the two agree
/// within `tolerance` (see `isClose`).
public func expectClose(
  _ actual: Double, _ expected: Double, tolerance: Double, input: String, name: String
) throws(CheckFailure) {
  if !isClose(actual, expected, tolerance: tolerance) {
    throw CheckFailure("\(input) your \(name) is \(describe(actual)), expected \(describe(expected))")
  }
}

public func expectClose(
  _ actual: Float, _ expected: Float, tolerance: Double, input: String, name: String
) throws(CheckFailure) {
  try expectClose(Double(actual), Double(expected), tolerance: tolerance, input: input, name: name)
}

/// Element by element; a length mismatch is reported as such.
public func expectClose(
  _ actual: [Float], _ expected: [Float], tolerance: Double, input: String, name: String
) throws(CheckFailure) {
  let agree =
    actual.count == expected.count
    && zip(actual, expected).allSatisfy { isClose(Double($0), Double($1), tolerance: tolerance) }
  if !agree { throw CheckFailure("\(input) your \(name) are \(describe(actual)), expected \(describe(expected))") }
}

public func expectClose(
  _ actual: [Double], _ expected: [Double], tolerance: Double, input: String, name: String
) throws(CheckFailure) {
  let agree =
    actual.count == expected.count && zip(actual, expected).allSatisfy { isClose($0, $1, tolerance: tolerance) }
  if !agree { throw CheckFailure("\(input) your \(name) are \(describe(actual)), expected \(describe(expected))") }
}

public func expectClose(
  _ actual: [[Float]], _ expected: [[Float]], tolerance: Double, input: String, name: String
) throws(CheckFailure) {
  let agree =
    actual.count == expected.count
    && zip(actual, expected).allSatisfy { row, expectedRow in
      row.count == expectedRow.count
        && zip(row, expectedRow).allSatisfy { isClose(Double($0), Double($1), tolerance: tolerance) }
    }
  if !agree { throw CheckFailure("\(input) your \(name) are \(describe(actual)), expected \(describe(expected))") }
}

/// Fails with "for <input> your <name> <verb> <actual>, expected <expected>" unless the two are equal.
public func expectEqual<Value: Equatable>(
  _ actual: Value, _ expected: Value, input: String, name: String, verb: String = "is",
  describe text: (Value) -> String = { "\($0)" }
) throws(CheckFailure) {
  if actual != expected {
    throw CheckFailure("\(input) your \(name) \(verb) \(text(actual)), expected \(text(expected))")
  }
}
