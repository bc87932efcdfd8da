import Foundation
import MoE
import NeuralNetworks
import Testing
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// The two ways of counting expert activations (the gate's arg-max, as slide 14 counts them, and
/// what the router actually routed), the gate-entropy histogram and accuracy by gate confidence.
@Suite struct EvaluationRoutingTests {
  /// Four inputs that all prefer expert 0 of two: a logit of 2 against 0 (bias [2, 0], weights 0).
  let preferFirst = LabelledRows(inputs: Tensor(rows: [[1, 0], [0, 1], [1, 1], [0, 0]]), labels: [0, 0, 1, 1])

  func votingExperts() -> [any Layer] {
    [[Float(1), 0], [0, 1]].map { vote in
      Linear(weight: Tensor.zeros([2, 2], requiresGrad: true), bias: Tensor(vote, requiresGrad: true)) as any Layer
    }
  }

  func setPreference(_ scores: ExpertScoringLayer) {
    scores.weight.assign(Tensor.zeros([2, 2]))
    scores.bias.assign(Tensor([2, 0]))
  }

  @Test func switchWithCapacityOneCountsDroppedTokensUnderArgmaxButNotUnderRouted() throws {
    var generator = SeededGenerator(seed: 0)
    let router = try SwitchRouter(inputSize: 2, expertCount: 2, capacityFactor: 1, using: &generator)
    setPreference(router.scores)
    let mixture = MixtureOfExperts(experts: votingExperts(), gate: router)
    let report = try evaluate(
      model: mixture, batches: [preferFirst], forward: { mixture.forward($0.inputs) }, labels: \.labels)
    let routing = try #require(report.routing)
    // Capacity ceil(1 * 4 / 2) = 2: expert 0 serves the first two tokens, the other two are dropped.
    #expect(routing.argmax.counts == [4, 0])
    #expect(routing.routed.counts == [2, 0])
    #expect(routing.droppedTokenFraction == 0.5)
    // Expert 0 votes class 0; the dropped tokens output zeros, whose arg-max is class 0 too, so every
    // prediction is 0: rows 1 and 2 (label 0) are right, rows 3 and 4 (label 1) wrong.
    #expect(report.accuracy == 0.5)
  }

  @Test func aTopOneRouterWithRoomForEveryTokenCountsTheSameBothWays() throws {
    var generator = SeededGenerator(seed: 0)
    let router = try SwitchRouter(inputSize: 2, expertCount: 2, capacityFactor: 2, using: &generator)
    setPreference(router.scores)
    let mixture = MixtureOfExperts(experts: votingExperts(), gate: router)
    let routing = try #require(
      try evaluate(model: mixture, batches: [preferFirst], forward: { mixture.forward($0.inputs) }).routing)
    #expect(routing.argmax.counts == [4, 0] && routing.routed.counts == [4, 0])
    #expect(routing.droppedTokenFraction == 0)
  }

  @Test func forASoftmaxGateTheArgmaxOfTheLogitsIsTheArgmaxOfTheProbabilities() throws {
    var generator = SeededGenerator(seed: 5)
    let inputs = Tensor.normal([200, 6], using: &generator)
    for temperature: Float in [0.25, 1, 4] {
      let gate = try SoftmaxGate(inputSize: 6, expertCount: 5, temperature: temperature, using: &generator)
      let experts = FeedForwardExpert.make(count: 5, inputSize: 6, hiddenSize: 4, outputSize: 3, using: &generator)
      let mixture = MixtureOfExperts(experts: experts, gate: gate)
      let batch = LabelledRows(inputs: inputs, labels: [Int](repeating: 0, count: 200))
      let routing = try #require(
        try evaluate(model: mixture, batches: [batch], forward: { mixture.forward($0.inputs) }).routing)
      // The slide's count: arg-max of the gate's linear layer, before the softmax.
      var slideCounts = [Int](repeating: 0, count: 5)
      for expert in withoutGradients({ gate.scores(inputs, router: "SoftmaxGate") }).argmax(axis: 1) {
        slideCounts[expert] += 1
      }
      #expect(routing.argmax.counts == slideCounts, "temperature \(temperature)")
      #expect(routing.routed.counts == [Int](repeating: 200, count: 5), "a dense gate computes every pair")
    }
  }

  @Test func theReportBinsGateEntropyAndAccuracyByConfidence() throws {
    let mixture = try handMadeMixture()
    let batches = [
      LabelledRows(inputs: Tensor(rows: [[1, 0], [1, 0], [0, 1]]), labels: [0, 1, 1]),
      LabelledRows(inputs: Tensor(rows: [[0, 1]]), labels: [1]),
    ]
    let report = try evaluate(
      model: mixture, batches: batches, forward: { mixture.forward($0.inputs) }, labels: \.labels)
    let routing = try #require(report.routing)
    // Every row's gate is [0.75, 0.25] or [0.25, 0.75]: entropy 0.5623 of log 2 = 0.6931, bin 8 of 10.
    let histogram = try #require(routing.gateEntropyHistogram)
    #expect(histogram.counts == [0, 0, 0, 0, 0, 0, 0, 0, 4, 0])
    #expect(isClose(histogram.upper, log(2)))
    // Confidence 0.75 in [0.5, 1], bin [0.7, 0.8): four rows, three of them right.
    let bins = try #require(routing.accuracyByConfidence)
    #expect(bins.map(\.count) == [0, 0, 4, 0, 0] && bins.map(\.correct) == [0, 0, 3, 0, 0])
    #expect(isClose(bins[2].lower, 0.7) && isClose(bins[2].upper, 0.8))
    #expect(report.table().contains("0.7000-0.8000  4       0.7500\n"), "\(report.table())")
    let csv = report.csv()
    #expect(csv.contains("\nconfidence.from_0.5.inputs,0\n"), "\(csv)")
    #expect(csv.contains(".accuracy,0.75\n"))
    #expect(csv.contains("\ngate_entropy.from_0.0,0\n"))
  }

  @Test func binCountsBelowOneAreRefused() throws {
    let mixture = try handMadeMixture()
    let batch = [LabelledRows(inputs: Tensor(rows: [[1, 0]]), labels: [0])]
    #expect(
      throws: TrainingError.invalidOption(name: "confidenceBins", value: "0", rule: "must be at least 1")
    ) {
      try evaluate(model: mixture, batches: batch, forward: { mixture.forward($0.inputs) }, confidenceBins: 0)
    }
  }

  @Test func aReportSavedBeforeTheBinsExistedStillDecodes() throws {
    let mixture = try handMadeMixture()
    let batch = [LabelledRows(inputs: Tensor(rows: [[1, 0]]), labels: [0])]
    let report = try evaluate(model: mixture, batches: batch, forward: { mixture.forward($0.inputs) }, labels: \.labels)
    var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(report)) as? [String: Any])
    var routing = try #require(object["routing"] as? [String: Any])
    #expect(routing.removeValue(forKey: "gateEntropyHistogram") != nil)
    #expect(routing.removeValue(forKey: "accuracyByConfidence") != nil)
    object["routing"] = routing
    let json = try JSONSerialization.data(withJSONObject: object)
    let decoded = try JSONDecoder().decode(EvaluationReport.self, from: json)
    #expect(decoded.routing?.gateEntropyHistogram == nil && decoded.routing?.accuracyByConfidence == nil)
    #expect(decoded.accuracy == report.accuracy)
  }
}
