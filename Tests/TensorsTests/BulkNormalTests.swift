@testable import Tensors
import Testing

/// The bulk Box-Muller path (`fillNormal`, `Tensor.normal`) against the scalar `nextNormal()`: every
/// chapter's printed numbers depend on the stream, so the two must agree bit for bit.
@Suite struct BulkNormalTests {
  @Test func fillNormalMatchesNextNormalOverTenMillionDraws() {
    var bulk = SeededGenerator(seed: 2024)
    var scalar = SeededGenerator(seed: 2024)
    let n = 10_000_000
    var values = [Float](repeating: 0, count: n)
    values.withUnsafeMutableBufferPointer { bulk.fillNormal($0) }
    var mismatches = 0
    for index in 0..<n where values[index].bitPattern != scalar.nextNormal().bitPattern { mismatches += 1 }
    #expect(mismatches == 0)
    #expect(bulk.stateWords == scalar.stateWords)
  }

  @Test func tensorNormalMatchesTheScalarFormulaForAnyLength() {
    var bulk = SeededGenerator(seed: 11)
    var scalar = SeededGenerator(seed: 11)
    for count in [0, 1, 7, 8, 9, 511, 512, 513, 1024, 1537, 10_000] {
      let x = Tensor.normal([count], mean: 0.25, standardDeviation: 3, using: &bulk)
      let expected = (0..<count).map { _ in 0.25 + 3 * scalar.nextNormal() }
      #expect(x.scalars.map(\.bitPattern) == expected.map(\.bitPattern), "count \(count)")
      let y = Tensor.normal([count, 2], using: &bulk)
      let expectedY = (0..<(2 * count)).map { _ in 0 + 1 * scalar.nextNormal() }
      #expect(y.scalars.map(\.bitPattern) == expectedY.map(\.bitPattern), "count \(count)")
    }
    #expect(bulk.stateWords == scalar.stateWords)
  }

  /// Words at the edges: u1 = 1 (a signed zero), u1 = 2^-53 (the largest |z|), and u2 at and around
  /// the zeros and extremes of cos (quarter turns), where the kernel's own bound is tightest.
  @Test func edgeWordsMatchTheScalarTransform() {
    let top: UInt64 = (1 << 53) - 1
    var firsts: [UInt64] = [UInt64.max, 0, 1 << 11, (top - 1) << 11, 1 << 63, (top / 3) << 11]
    var seconds: [UInt64] = []
    for quarter in 0...4 {
      let center = Int64(quarter) << 51  // u2 = quarter / 4
      for offset in -40...40 {
        let value = center + Int64(offset)
        if value >= 0 && value <= Int64(top) { seconds.append(UInt64(value) << 11) }
      }
    }
    seconds += [0, UInt64.max, 1 << 11]
    var generator = SeededGenerator(seed: 3)
    for _ in 0..<50 { firsts.append(generator.next()) }
    var words: [UInt64] = []
    for first in firsts {
      for second in seconds { words += [first, second] }
    }
    let count = words.count / 2
    var values = [Float](repeating: 0, count: count)
    words.withUnsafeBufferPointer { w in
      values.withUnsafeMutableBufferPointer { SeededGenerator.boxMuller(words: w.baseAddress!, into: $0.baseAddress!, count: count) }
    }
    var mismatches: [String] = []
    for index in 0..<count {
      let expected = SeededGenerator.boxMuller(words[2 * index], words[2 * index + 1])
      if values[index].bitPattern != expected.bitPattern {
        mismatches.append("\(words[2 * index]), \(words[2 * index + 1]): \(values[index]) vs \(expected)")
      }
    }
    #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    // The signed zero survives: u1 = 1 gives sqrt(-0) = -0.
    #expect(values[0].bitPattern == SeededGenerator.boxMuller(UInt64.max, 0).bitPattern)
  }
}
