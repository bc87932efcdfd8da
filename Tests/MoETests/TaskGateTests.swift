import Foundation
import MoE
import Testing

/// The task gate's restriction as masked logits, and its classifier's own loss.
@Suite struct TaskGateTests {
  /// A gate of 2 tasks x 2 experts whose scores are `scores` for every input and whose classifier
  /// gives q = softmax(classifierBias) for every input.
  static func gate(scores: [Float], classifierBias: [Float]) throws -> TaskGate {
    var generator = SeededGenerator(seed: 1)
    let gate = try TaskGate(inputSize: 6, tasks: 2, expertsPerTask: 2, using: &generator)
    set(gate.weight, [Float](repeating: 0, count: gate.weight.count))
    set(gate.bias, scores)
    set(gate.taskClassifier.weight, [Float](repeating: 0, count: gate.taskClassifier.weight.count))
    set(gate.taskClassifier.bias!, classifierBias)
    return gate
  }

  @Test func taskIdsMaskTheLogitsOutsideTheGroup() throws {
    let gate = try Self.gate(scores: [1, 2, 0, Float(log(3.0))], classifierBias: [0, 0])
    let decision = gate.route(inputs(2), context: RoutingContext(tasks: [0, 1]))
    let logits = decision.logits.scalars
    #expect(logits[2] == -.infinity && logits[3] == -.infinity && logits[4] == -.infinity && logits[5] == -.infinity)
    #expect(logits[0] == 1 && logits[1] == 2 && logits[6] == 0)
    // Task 0: softmax([1, 2]) over experts 0, 1; task 1: softmax([0, log 3]) = [1/4, 3/4] over experts 2, 3.
    let e = Float(M_E)
    let expected: [Float] = [1 / (1 + e), e / (1 + e), 0, 0, 0, 0, 0.25, 0.75]
    #expect(maximumDifference(decision.probabilities.scalars, expected) < 1e-6)
    #expect(maximumDifference(decision.probabilities.scalars, decision.logits.softmax(axis: 1).scalars) == 0)
    // The z-loss reads the unmasked scores: logsumexp([1, 2, 0, log 3]) for both rows.
    let record = RoutingRecord(decision: decision, expertEvaluations: 0, nested: [])
    let logSumExp = log(M_E + M_E * M_E + 1 + 3)
    #expect(abs(Double(routerZLoss(record).item) - logSumExp * logSumExp) < 1e-5)
  }

  @Test func withoutTaskIdsTheLogitsAreTheLogOfTheMixedGate() throws {
    let gate = try Self.gate(scores: [0, 0, 0, Float(log(3.0))], classifierBias: [0, Float(log(3.0))])
    let decision = gate.route(inputs(1))
    // q = [1/4, 3/4]; g = [1/4 * 1/2, 1/4 * 1/2, 3/4 * 1/4, 3/4 * 3/4].
    let expected: [Float] = [0.125, 0.125, 0.1875, 0.5625]
    #expect(maximumDifference(decision.combineMatrix.scalars, expected) < 1e-6)
    #expect(maximumDifference(decision.probabilities.scalars, expected) < 1e-6)
    #expect(maximumDifference(decision.logits.scalars, expected.map { Float(log(Double($0))) }) < 1e-5)
  }

  @Test func classifierLossIsTheCrossEntropyOfTheTaskIds() throws {
    let gate = try Self.gate(scores: [0, 0, 0, 0], classifierBias: [0, Float(log(3.0))])
    let mixture = MixtureOfExperts(experts: experts(4), gate: gate)
    let (_, routing) = mixture.forward(inputs(2))
    // q = [1/4, 3/4] for both inputs: L = (-log 1/4 - log 3/4) / 2.
    let expected = (-log(0.25) - log(0.75)) / 2
    #expect(abs(Double(try taskClassifierLoss(routing, tasks: [0, 1]).item) - expected) < 1e-6)
    // The classifier's logits are recorded when task ids are given too, so it trains alongside.
    let (_, withTasks) = mixture.forward(inputs(2), tasks: [0, 1])
    #expect(abs(Double(try taskClassifierLoss(withTasks, tasks: [0, 1]).item) - expected) < 1e-6)
  }

  @Test func classifierLossGradient() throws {
    var generator = SeededGenerator(seed: 3)
    let gate = try TaskGate(inputSize: 6, tasks: 3, expertsPerTask: 1, using: &generator)
    let x = inputs(5, seed: 4, requiresGrad: true)
    let report = checkGradients(
      of: { _ in
        try! taskClassifierLoss(
          RoutingRecord(decision: gate.route(x), expertEvaluations: 0, nested: []), tasks: [0, 2, 1, 1, 0])
      },
      at: [x, gate.taskClassifier.weight, gate.taskClassifier.bias!])
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }

  @Test func classifierLossMisuseThrows() throws {
    var generator = SeededGenerator(seed: 1)
    let softmax = try SoftmaxGate(inputSize: 6, expertCount: 2, using: &generator)
    let plain = RoutingRecord(decision: softmax.route(inputs(2)), expertEvaluations: 0, nested: [])
    #expect(throws: MoEConfigurationError.self) { try taskClassifierLoss(plain, tasks: [0, 1]) }
    let gate = try Self.gate(scores: [0, 0, 0, 0], classifierBias: [0, 0])
    let record = RoutingRecord(decision: gate.route(inputs(2)), expertEvaluations: 0, nested: [])
    #expect(throws: MoEConfigurationError.self) { try taskClassifierLoss(record, tasks: [0]) }
    #expect(throws: MoEConfigurationError.self) { try taskClassifierLoss(record, tasks: [0, 2]) }
  }
}
