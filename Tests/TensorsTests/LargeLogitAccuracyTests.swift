import Foundation
import Tensors
import Testing

/// Log-softmax and cross-entropy at large logits against a double-precision reference. Forming
/// x - (m + log sum) rounds at the scale of the maximum m (about 100 here), which leaves the
/// near-zero log-probabilities, and the gradient terms built from them, with errors of order
/// ulp(100) = 8e-6; (x - m) - log sum keeps them to a few float32 ulps of their own size.
@Suite struct LargeLogitAccuracyTests {
  /// [rows, classes] logits of standard deviation 40 and their double-precision copy.
  static func largeLogits() -> (Tensor, [[Double]]) {
    var generator = SeededGenerator(seed: 4040)
    let logits = Tensor.normal([64, 10], using: &generator) * 40
    let rows = (0..<64).map { row in (0..<10).map { Double(logits.scalars[row * 10 + $0]) } }
    return (Tensor(shape: [64, 10], scalars: logits.scalars, requiresGrad: true), rows)
  }

  static func referenceLogSoftmax(_ row: [Double]) -> [Double] {
    let maximum = row.max()!
    let logTotal = Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - maximum) })
    return row.map { ($0 - maximum) - logTotal }
  }

  @Test func logSoftmaxMatchesDoublePrecision() {
    let (logits, rows) = Self.largeLogits()
    let result = logits.logSoftmax(axis: 1).scalars
    var worst = 0.0
    for (row, values) in rows.enumerated() {
      for (column, expected) in Self.referenceLogSoftmax(values).enumerated() {
        // Relative to the value itself, floored at 1: the near-zero entries are the ones that lost digits.
        let error = abs(Double(result[row * 10 + column]) - expected) / max(1, abs(expected))
        worst = max(worst, error)
      }
    }
    #expect(worst < 3e-7, "largest relative error \(worst)")
  }

  @Test func crossEntropyGradientMatchesDoublePrecision() {
    let (logits, rows) = Self.largeLogits()
    let labels = (0..<64).map { ($0 * 7) % 10 }
    logits.crossEntropyLoss(labels: labels).backward()
    let gradient = logits.grad!.scalars
    var worst = 0.0
    var largest = 0.0
    for (row, values) in rows.enumerated() {
      let logProbabilities = Self.referenceLogSoftmax(values)
      for column in 0..<10 {
        let expected = (Foundation.exp(logProbabilities[column]) - (column == labels[row] ? 1 : 0)) / 64
        worst = max(worst, abs(Double(gradient[row * 10 + column]) - expected))
        largest = max(largest, abs(expected))
      }
    }
    #expect(worst / largest < 3e-7, "largest gradient error \(worst / largest) relative to the largest entry")
  }
}
