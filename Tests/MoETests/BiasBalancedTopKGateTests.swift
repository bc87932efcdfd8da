import Foundation
import MoE
import Testing

/// The auxiliary-loss-free gate: the bias decides which experts run, never how they are weighted,
/// and moves by gamma toward balance after each step.
@Suite struct BiasBalancedTopKGateTests {
  /// A gate over 3 experts whose scores ignore the input: every token's logits are `logits`.
  static func gate(logits: [Float], k: Int, updateRate: Float = 0.1) throws -> BiasBalancedTopKGate {
    var generator = SeededGenerator(seed: 1)
    let gate = try BiasBalancedTopKGate(
      inputSize: 2, expertCount: logits.count, k: k, updateRate: updateRate, using: &generator)
    set(gate.weight, [Float](repeating: 0, count: 2 * logits.count))
    set(gate.bias, logits)
    return gate
  }

  static var twoTokens: Tensor { Tensor(rows: [[1, 2], [-1, 0.5]]) }

  @Test func theBiasChangesWhichExpertsAreChosen() throws {
    let gate = try Self.gate(logits: [1, 0.5, 0], k: 1)
    #expect(
      gate.route(Self.twoTokens).combineMatrix.scalars == [1, 0, 0, 1, 0, 0])
    // Biased scores [1, 1.1, 0]: expert 1 wins.
    set(gate.selectionBias.value, [0, 0.6, 0])
    #expect(
      gate.route(Self.twoTokens).combineMatrix.scalars == [0, 1, 0, 0, 1, 0])
  }

  @Test func theCombineWeightsAreTheSoftmaxOfTheUnbiasedScoresOfTheChosenExperts() throws {
    let gate = try Self.gate(logits: [1, 0.5, 0], k: 2)
    // Biased scores [1, 0.5, 1.2]: experts 2 and 0 are chosen, weighted by softmax(0, 1) of their
    // own logits: e / (1 + e) = 0.7311 for expert 0 and 1 / (1 + e) = 0.2689 for expert 2.
    set(gate.selectionBias.value, [0, 0, 1.2])
    let decision = gate.route(Self.twoTokens)
    let expected: [Float] = [0.731_059, 0, 0.268_941]
    #expect(maximumDifference(decision.combineMatrix.scalars, expected + expected) < 1e-5)
    // The reported probabilities are softmax of the logits without the bias.
    let unbiased = Tensor(rows: [[1, 0.5, 0], [1, 0.5, 0]]).softmax(axis: 1)
    #expect(maximumDifference(decision.probabilities.scalars, unbiased.scalars) < 1e-6)
    #expect(decision.logits.scalars == [1, 0.5, 0, 1, 0.5, 0])
  }

  @Test func aBiasThatKeepsTheSelectionLeavesTheRoutingOfTopKUnchanged() throws {
    var generator = SeededGenerator(seed: 8)
    let balanced = try BiasBalancedTopKGate(inputSize: 6, expertCount: 5, k: 2, using: &generator)
    generator = SeededGenerator(seed: 8)
    let plain = try TopKGate(inputSize: 6, expertCount: 5, k: 2, using: &generator)
    let x = inputs(12)
    let plainWeights = plain.route(x).combineMatrix.scalars
    #expect(balanced.route(x).combineMatrix.scalars == plainWeights)
    // The same shift for every expert changes no choice, so no weight either.
    set(balanced.selectionBias.value, [Float](repeating: 2.5, count: 5))
    #expect(maximumDifference(balanced.route(x).combineMatrix.scalars, plainWeights) < 1e-6)
  }

  @Test func theUpdateMovesEachExpertByGammaTowardTheMeanLoad() throws {
    let gate = try Self.gate(logits: [0, 0, 0, 0], k: 1, updateRate: 0.1)
    // Load [5, 1, 3, 3], mean 3: expert 0 is overloaded, expert 1 underloaded, 2 and 3 at the mean.
    try gate.updateBias(load: [5, 1, 3, 3])
    #expect(maximumDifference(gate.selectionBias.value.scalars, [-0.1, 0.1, 0, 0]) < 1e-7)
    try gate.updateBias(load: [0, 2, 2, 8])
    #expect(maximumDifference(gate.selectionBias.value.scalars, [0, 0.2, 0.1, -0.1]) < 1e-7)
  }

  @Test func theUpdateFromARecordCountsTheTokensEachExpertProcessed() throws {
    let gate = try Self.gate(logits: [1, 0.5, 0], k: 1, updateRate: 0.25)
    let mixture = MixtureOfExperts(experts: experts(3, inputSize: 2), gate: gate)
    // Both tokens go to expert 0: load [2, 0, 0], mean 2/3.
    try gate.updateBias(from: mixture.forward(Self.twoTokens).routing)
    #expect(gate.selectionBias.value.scalars == [-0.25, 0.25, 0.25])
  }

  @Test func aMixtureUpdatesTheBiasOfEveryNestedGateFromItsOwnRecord() throws {
    // Two groups of 3 experts under a top-1 gate that sends both tokens to group 0; inside each
    // group a gate whose scores send every token to its expert 0.
    let top = try Self.gate(logits: [1, 0], k: 1, updateRate: 0.5)
    let inner = try (0..<2).map { _ in try Self.gate(logits: [1, 0.5, 0], k: 1, updateRate: 0.25) }
    let groups = inner.map { MixtureOfExperts(experts: experts(3, inputSize: 2), gate: $0) }
    let mixture = MixtureOfExperts(experts: groups, gate: top)
    try mixture.updateSelectionBiases(from: mixture.forward(Self.twoTokens).routing)
    // Top: load [2, 0], mean 1. Group 0: load [2, 0, 0], mean 2/3. Group 1 saw no token: no record.
    #expect(top.selectionBias.value.scalars == [-0.5, 0.5])
    #expect(inner[0].selectionBias.value.scalars == [-0.25, 0.25, 0.25])
    #expect(inner[1].selectionBias.value.scalars == [0, 0, 0])
  }

  @Test func repeatedUpdatesSpreadACollapsedBatch() throws {
    // Every token prefers expert 0 by the same margin; the updates must move tokens to the others.
    let gate = try Self.gate(logits: [2, 0, 0, 0], k: 1, updateRate: 0.3)
    let x = inputs(8, 2)
    var loads: [[Int]] = []
    for _ in 0..<12 {
      let record = MixtureOfExperts(experts: experts(4, inputSize: 2), gate: gate).forward(x).routing
      loads.append(record.tokensPerExpert)
      try gate.updateBias(from: record)
    }
    #expect(loads[0] == [8, 0, 0, 0])
    // After enough steps expert 0 is no longer chosen every time and the others get their turn.
    #expect(loads.contains { $0[0] == 0 })
    #expect(Set(loads.flatMap { load in load.indices.filter { load[$0] > 0 } }) == [0, 1, 2, 3])
  }

  @Test func aLoadOfTheWrongLengthThrowsNamingBothCounts() throws {
    let gate = try Self.gate(logits: [0, 0, 0], k: 1)
    #expect(throws: MoEConfigurationError.self) { try gate.updateBias(load: [1, 2]) }
    do {
      try gate.updateBias(load: [1, 2])
    } catch {
      #expect(error.description == "BiasBalancedTopKGate.updateBias: 2 load counts for 3 experts")
    }
  }

  @Test func badOptionsThrow() {
    var generator = SeededGenerator(seed: 1)
    #expect(throws: MoEConfigurationError.self) {
      _ = try BiasBalancedTopKGate(inputSize: 2, expertCount: 3, k: 4, using: &generator)
    }
    #expect(throws: MoEConfigurationError.self) {
      _ = try BiasBalancedTopKGate(inputSize: 2, expertCount: 3, k: 1, updateRate: -0.1, using: &generator)
    }
  }

  @Test func theBiasIsABufferThatOptimizersLeaveAloneAndCheckpointsSave() throws {
    let gate = try Self.gate(logits: [1, 0.5, 0], k: 1)
    #expect(gate.namedParameters.map(\.name) == ["weight", "bias"])
    #expect(gate.namedBuffers.map(\.name) == ["selectionBias"])
    set(gate.selectionBias.value, [0.3, -0.2, 0.1])
    let optimizer = Adam(parameters: gate.parameters, learningRate: 0.1)
    let mixture = MixtureOfExperts(experts: experts(3, inputSize: 2), gate: gate)
    projection(mixture(Self.twoTokens)).backward()
    optimizer.step()
    #expect(gate.selectionBias.value.scalars == [0.3, -0.2, 0.1])

    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bias-balanced-\(ProcessInfo.processInfo.processIdentifier).safetensors"
    ).path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try gate.save(to: path)
    let copy = try Self.gate(logits: [0, 0, 0], k: 1)
    try copy.load(from: path)
    #expect(copy.selectionBias.value.scalars == [0.3, -0.2, 0.1])
    #expect(copy.bias.scalars == [1, 0.5, 0])
  }

  @Test func gradientsThroughTheChosenExpertsWeightsMatchFiniteDifferences() throws {
    var generator = SeededGenerator(seed: 12)
    let gate = try BiasBalancedTopKGate(inputSize: 6, expertCount: 4, k: 2, using: &generator)
    set(gate.selectionBias.value, [0.4, -0.3, 0.2, 0])
    let mixture = MixtureOfExperts(experts: experts(4), gate: gate)
    let x = inputs(7, seed: 31, requiresGrad: true)
    let report = checkGradients(
      of: { _ in mixture(x) }, at: [x] + gate.parameters + mixture.experts[0].parameters)
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }
}
