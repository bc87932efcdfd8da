import Foundation
import MoE
import Testing

/// Per-token gate entropy and confidence, histograms and accuracy binned by confidence, against
/// values computed by hand.
@Suite struct GateConfidenceTests {
  @Test func entropyAndConfidenceOfEachRowMatchTheFormula() throws {
    let probabilities = Tensor(rows: [
      [1, 0, 0, 0], [0.25, 0.25, 0.25, 0.25], [0.5, 0.5, 0, 0], [0.1, 0.2, 0.3, 0.4],
    ])
    let entropies = try gateEntropies(probabilities)
    let expected = [0, log(4.0), log(2.0), -[0.1, 0.2, 0.3, 0.4].reduce(0) { $0 + $1 * log($1) }]
    for (value, target) in zip(entropies, expected) { #expect(abs(value - target) < 1e-6, "\(value) vs \(target)") }
    let confidences = try gateConfidences(probabilities)
    #expect(confidences.map { Float($0) } == [1, 0.25, 0.5, 0.4])
    #expect(throws: MoEConfigurationError.self) { try gateEntropies(Tensor([0.5, 0.5])) }
  }

  @Test func histogramBinsAreHalfOpenWithTheUpperEdgeInTheLastBin() throws {
    // Bins of 0.25 over [0, 1]: [0, .25) [.25, .5) [.5, .75) [.75, 1]; -1 and 2 clamp to the ends.
    let histogram = try Histogram([0, 0.1, 0.25, 0.5, 0.74, 0.75, 1, -1, 2], bins: 4, lower: 0, upper: 1)
    #expect(histogram.counts == [3, 1, 2, 3])
    #expect(histogram.binWidth == 0.25 && histogram.lowerEdges == [0, 0.25, 0.5, 0.75])
    #expect(throws: MoEConfigurationError.self) { try Histogram([0.5], bins: 0, lower: 0, upper: 1) }
    #expect(throws: MoEConfigurationError.self) { try Histogram([0.5], bins: 2, lower: 1, upper: 1) }
    #expect(throws: MoEConfigurationError.self) { try Histogram([.nan], bins: 2, lower: 0, upper: 1) }
  }

  @Test func accuracyByConfidenceCountsTheCorrectAnswersOfEachBin() throws {
    // Four experts: confidence in [0.25, 1], bins of 0.25 starting at 0.25, 0.5 and 0.75.
    let bins = try accuracyByConfidence(
      confidences: [0.3, 0.4, 0.6, 0.9, 1.0, 0.95], correct: [false, true, true, true, true, false], bins: 3,
      lower: 0.25, upper: 1)
    #expect(bins.map(\.count) == [2, 1, 3])
    #expect(bins.map(\.correct) == [1, 1, 2])
    #expect(bins.map(\.accuracy) == [0.5, 1, 2.0 / 3])
    #expect(bins.map(\.lower) == [0.25, 0.5, 0.75] && bins.last?.upper == 1)
    #expect(ConfidenceBin(lower: 0, upper: 1, count: 0, correct: 0).accuracy == nil)
    #expect(
      throws: MoEConfigurationError.inconsistentInput(
        function: "accuracyByConfidence", message: "2 confidences for 1 answers")
    ) {
      try accuracyByConfidence(confidences: [0.5, 0.6], correct: [true], bins: 2, lower: 0, upper: 1)
    }
  }
}
