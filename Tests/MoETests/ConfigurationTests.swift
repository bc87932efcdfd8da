import MoE
import Testing

/// Bad configuration stops with one line naming the parameter and its value.
@Suite struct ConfigurationTests {
  static func standardError(_ result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
  }

  @Test func kLargerThanTheNumberOfExperts() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      _ = TopKGate(inputSize: 4, expertCount: 4, k: 5, using: &generator)
    }
    #expect(Self.standardError(result).contains("error: TopKGate: k = 5 must lie in 1...4"))
  }

  @Test func capacityFactorNotPositive() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      _ = SwitchRouter(inputSize: 4, expertCount: 4, capacityFactor: 0, using: &generator)
    }
    #expect(Self.standardError(result).contains("error: SwitchRouter: capacityFactor must be positive, got 0.0"))
  }

  @Test func thresholdOutsideUnitInterval() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      _ = ThresholdGate(inputSize: 4, expertCount: 4, threshold: 1.5, using: &generator)
    }
    #expect(Self.standardError(result).contains("error: ThresholdGate: threshold must lie in [0, 1], got 1.5"))
  }

  @Test func mismatchedInputSize() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let mixture = MixtureOfExperts(
        experts: FeedForwardExpert.make(count: 3, inputSize: 10, hiddenSize: 4, outputSize: 2, using: &generator),
        gate: SoftmaxGate(inputSize: 10, expertCount: 3, using: &generator))
      _ = mixture(Tensor.zeros([64, 7]))
    }
    #expect(
      Self.standardError(result).contains(
        "error: SoftmaxGate: input of shape [64, 7] does not match inputSize 10; expected [N, 10]"))
  }

  @Test func gateAndExpertsDisagreeOnCount() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      _ = MixtureOfExperts(
        experts: FeedForwardExpert.make(count: 3, inputSize: 4, hiddenSize: 4, outputSize: 2, using: &generator),
        gate: SoftmaxGate(inputSize: 4, expertCount: 2, using: &generator))
    }
    #expect(Self.standardError(result).contains("the gate routes to 2 experts but 3 were given"))
  }
}
