import MoE
import Testing

/// Bad configuration throws `MoEConfigurationError` with one line naming the option and its value;
/// shape misuse at run time still stops the process with its one-line message.
@Suite struct ConfigurationTests {
  static func standardError(_ result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
  }

  /// The description of the error `make` throws, or nil when it does not throw.
  static func message(_ make: () throws -> Void) -> String? {
    do {
      try make()
      return nil
    } catch let error as MoEConfigurationError {
      return error.description
    } catch {
      return "not a configuration error: \(error)"
    }
  }

  @Test func kLargerThanTheNumberOfExperts() {
    var generator = SeededGenerator(seed: 1)
    #expect(
      Self.message { _ = try TopKGate(inputSize: 4, expertCount: 4, k: 5, using: &generator) }
        == "TopKGate: k = 5 must lie in 1...4 (the number of experts)")
  }

  @Test func capacityFactorNotPositive() {
    var generator = SeededGenerator(seed: 1)
    #expect(
      Self.message { _ = try SwitchRouter(inputSize: 4, expertCount: 4, capacityFactor: 0, using: &generator) }
        == "SwitchRouter: capacityFactor must be positive, got 0.0")
  }

  @Test func thresholdOutsideUnitInterval() {
    var generator = SeededGenerator(seed: 1)
    #expect(
      Self.message { _ = try ThresholdGate(inputSize: 4, expertCount: 4, threshold: 1.5, using: &generator) }
        == "ThresholdGate: threshold must lie in [0, 1], got 1.5")
  }

  @Test func taskGroupNamingAMissingExpert() {
    var generator = SeededGenerator(seed: 1)
    #expect(
      Self.message { _ = try TaskGate(inputSize: 4, expertCount: 2, groups: [[0], [2]], using: &generator) }
        == "TaskGate: group 1 names expert 2, outside 0..<2")
  }

  @Test func unknownRouterNameListsTheKnownNames() {
    var generator = SeededGenerator(seed: 1)
    let message = Self.message {
      _ = try RouterRegistry.make("switchh", options: RouterOptions(inputSize: 4, expertCount: 4), using: &generator)
    }
    #expect(
      message
        == "RouterRegistry: unknown router \"switchh\"; known routers: \(RouterRegistry.names.joined(separator: ", "))")
    #expect(RouterRegistry.names.contains("switch"))
  }

  @Test func missingRouterOptionIsNamed() {
    var generator = SeededGenerator(seed: 1)
    #expect(
      Self.message {
        _ = try RouterRegistry.make("gshard", options: RouterOptions(inputSize: 4, expertCount: 4), using: &generator)
      } == "RouterRegistry: router \"gshard\" needs the option capacityFactor")
  }

  @Test func registryOptionsReachTheRouter() throws {
    var generator = SeededGenerator(seed: 1)
    let options = RouterOptions(inputSize: 4, expertCount: 4, capacityFactor: -1)
    #expect(
      Self.message { _ = try RouterRegistry.make("expertChoice", options: options, using: &generator) }
        == "ExpertChoiceRouter: capacityFactor must be positive, got -1.0")
    let router = try RouterRegistry.make(
      "topK", options: RouterOptions(inputSize: 4, expertCount: 4, k: 3), using: &generator)
    #expect((router as? TopKGate)?.k == 3)
    for name in RouterRegistry.names { #expect(RouterRegistry.summary(of: name)?.isEmpty == false) }
  }

  @Test func metricsGivenInconsistentInputsThrow() {
    #expect(
      Self.message { _ = try specializationMatrix(experts: [0, 1], labels: [0], classes: 2, expertCount: 2) }
        == "specializationMatrix: 2 experts for 1 labels")
    #expect(
      Self.message { _ = try specializationMatrix(experts: [0], labels: [3], classes: 2, expertCount: 2) }
        == "specializationMatrix: label 3 outside 0..<2")
    #expect(
      Self.message { _ = try accuracy(predicted: [0, 1], labels: [1]) } == "accuracy: 2 predictions for 1 labels")
    #expect(
      Self.message { _ = try confusionMatrix(predicted: [0], labels: [2], classes: 2) }
        == "confusionMatrix: class 2 or prediction 0 outside 0..<2")
  }

  @Test func mismatchedInputSize() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let mixture = MixtureOfExperts(
        experts: FeedForwardExpert.make(count: 3, inputSize: 10, hiddenSize: 4, outputSize: 2, using: &generator),
        gate: try! SoftmaxGate(inputSize: 10, expertCount: 3, using: &generator))
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
        gate: try! SoftmaxGate(inputSize: 4, expertCount: 2, using: &generator))
    }
    #expect(Self.standardError(result).contains("the gate routes to 2 experts but 3 were given"))
  }
}
