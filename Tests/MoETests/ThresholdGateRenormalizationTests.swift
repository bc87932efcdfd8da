import Glibc
import MoE
import Testing

/// The threshold gate's two ways to weight the experts it keeps: the softmax weights as they are,
/// or divided by their sum. The gate's scores are set by hand so that g(x) = (0.6, 0.3, 0.1) for
/// every input, which makes the expected weights a line of arithmetic.
@Suite struct ThresholdGateRenormalizationTests {
  static let probabilities: [Float] = [0.6, 0.3, 0.1]

  /// A gate whose weight matrix is zero and whose biases are log(0.6), log(0.3), log(0.1).
  static func gate(threshold: Float, renormalizes: Bool) throws -> ThresholdGate {
    var generator = SeededGenerator(seed: 21)
    let gate = try ThresholdGate(
      inputSize: 6, expertCount: 3, threshold: threshold, renormalizes: renormalizes, using: &generator)
    set(gate.weight, [Float](repeating: 0, count: 18))
    set(gate.bias, probabilities.map { logf($0) })
    return gate
  }

  @Test func keptWeightsAreDividedByTheirSum() throws {
    let routing = try Self.gate(threshold: 0.2, renormalizes: true).route(inputs(4))
    let weights = routing.combineMatrix.scalars
    for token in 0..<4 {
      // 0.6 / (0.6 + 0.3) and 0.3 / (0.6 + 0.3); expert 3 (0.1 < 0.2) is not kept.
      let row = Array(weights[(3 * token)..<(3 * token + 3)])
      #expect(maximumDifference(row, [2.0 / 3, 1.0 / 3, 0]) < 1e-6, "token \(token): \(row)")
    }
  }

  @Test func withoutRenormalizationTheKeptWeightsAreTheSoftmaxWeights() throws {
    let routing = try Self.gate(threshold: 0.2, renormalizes: false).route(inputs(4))
    let weights = routing.combineMatrix.scalars
    for token in 0..<4 {
      let row = Array(weights[(3 * token)..<(3 * token + 3)])
      #expect(maximumDifference(row, [0.6, 0.3, 0]) < 1e-6, "token \(token): \(row)")
    }
  }

  @Test func renormalizedOutputIsTheKeptExpertsWeightedAverage() throws {
    let shared = experts(3)
    let x = inputs(5)
    let mixture = MixtureOfExperts(experts: shared, gate: try Self.gate(threshold: 0.2, renormalizes: true))
    let (output, routing) = mixture.forward(x)
    #expect(routing.expertEvaluations == 10)
    let expected = (2.0 / 3) * shared[0](x) + (1.0 / 3) * shared[1](x)
    #expect(maximumDifference(output.scalars, expected.scalars) < 1e-5)
  }

  @Test func anInputThatKeepsNoExpertGetsZerosNotNotANumber() throws {
    let mixture = MixtureOfExperts(experts: experts(3), gate: try Self.gate(threshold: 0.7, renormalizes: true))
    let (output, routing) = mixture.forward(inputs(3))
    #expect(routing.expertEvaluations == 0)
    #expect(routing.combineMatrix.scalars.allSatisfy { $0 == 0 })
    #expect(output.scalars.allSatisfy { $0 == 0 })
  }

  /// Some rows keep experts and some keep none: only the empty rows get the denominator's extra 1.
  @Test func rowsThatKeepExpertsAreUnaffectedByEmptyRows() throws {
    var generator = SeededGenerator(seed: 22)
    let gate = try ThresholdGate(inputSize: 2, expertCount: 2, threshold: 0.9, renormalizes: true, using: &generator)
    // Scores (8 x1, 0): input (1, 0) gives expert 1 weight 0.9997, input (0, 0) gives 0.5 and 0.5.
    set(gate.weight, [8, 0, 0, 0])
    set(gate.bias, [0, 0])
    let routing = gate.route(Tensor(shape: [2, 2], scalars: [1, 0, 0, 0]))
    #expect(routing.combineMatrix.scalars == [1, 0, 0, 0])
  }

  @Test func thresholdZeroWithRenormalizationIsTheDenseMixture() throws {
    var generator = SeededGenerator(seed: 23)
    let threshold = try ThresholdGate(
      inputSize: 6, expertCount: 4, threshold: 0, renormalizes: true, using: &generator)
    generator = SeededGenerator(seed: 23)
    let softmax = try SoftmaxGate(inputSize: 6, expertCount: 4, using: &generator)
    let shared = experts(4)
    let x = inputs(9)
    let (output, routing) = MixtureOfExperts(experts: shared, gate: threshold, dispatch: .sparse).forward(x)
    #expect(routing.computeFraction == 1)
    #expect(maximumDifference(output.scalars, MixtureOfExperts(experts: shared, gate: softmax)(x).scalars) < 1e-6)
  }

  @Test func gradientsThroughTheRenormalizedWeights() throws {
    var generator = SeededGenerator(seed: 24)
    let gate = try ThresholdGate(inputSize: 6, expertCount: 4, threshold: 0.2, renormalizes: true, using: &generator)
    let mixture = MixtureOfExperts(experts: experts(4), gate: gate)
    let x = inputs(7, seed: 31, requiresGrad: true)
    let (_, routing) = mixture.forward(x)
    // The check is meaningful only if some experts are skipped and some inputs keep several.
    #expect(routing.skippedEvaluations > 0)
    #expect(routing.expertsPerToken.contains { $0.count >= 2 })
    let report = checkGradients(
      of: { _ in mixture.forward(x).output }, at: [x] + gate.parameters + mixture.experts[0].parameters)
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }
}
