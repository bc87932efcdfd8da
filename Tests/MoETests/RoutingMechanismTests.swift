import MoE
import Testing

/// Capacity, expert choice, thresholds, task groups and noise: each test fails if the mechanism is wrong.
@Suite struct RoutingMechanismTests {
  /// A gate whose weights are zero and whose biases are `bias`: every token prefers the same experts.
  static func biased<G: Router>(_ gate: G, _ bias: [Float]) -> G {
    set(gate.parameters[0], [Float](repeating: 0, count: gate.parameters[0].count))
    set(gate.parameters[1], bias)
    return gate
  }

  @Test func switchCapacityDropsTheOverflow() throws {
    var generator = SeededGenerator(seed: 1)
    let router = Self.biased(
      try SwitchRouter(inputSize: 6, expertCount: 4, capacityFactor: 1, using: &generator), [5, 0, 0, 0])
    #expect(router.capacity(tokens: 8) == 2)
    let mixture = MixtureOfExperts(experts: experts(4), gate: router)
    let x = inputs(8)
    let (output, routing) = mixture.forward(x)

    #expect(routing.tokensPerExpert == [2, 0, 0, 0])
    #expect(routing.expertEvaluations == 2)
    #expect(routing.droppedTokens == [2, 3, 4, 5, 6, 7])
    #expect(routing.droppedAssignments.count == 6)
    #expect(routing.droppedTokenFraction == 0.75)
    // Dropped tokens come out as zero; kept ones as p_0(x) * E_0(x).
    #expect(output.scalars[6...].allSatisfy { $0 == 0 })
    let p0 = routing.probabilities.scalars[0]
    let expected = mixture.experts[0](x.slice(axis: 0, 0..<1)).scalars.map { $0 * p0 }
    #expect(maximumDifference(Array(output.scalars[0..<3]), expected) < 1e-6)
  }

  @Test func switchWithAmpleCapacityDropsNothing() throws {
    var generator = SeededGenerator(seed: 2)
    let router = try SwitchRouter(inputSize: 6, expertCount: 4, capacityFactor: 4, using: &generator)
    let (_, routing) = MixtureOfExperts(experts: experts(4), gate: router).forward(inputs(20))
    #expect(routing.droppedAssignments.isEmpty)
    #expect(routing.tokensPerExpert.reduce(0, +) == 20)
    #expect(routing.expertsPerToken.allSatisfy { $0.count == 1 })
  }

  @Test func gshardServesFirstChoicesBeforeSecondChoices() throws {
    var generator = SeededGenerator(seed: 3)
    let router = Self.biased(
      try GShardRouter(inputSize: 6, expertCount: 4, capacityFactor: 1, using: &generator), [3, 2, 0, 0])
    #expect(router.capacity(tokens: 8) == 4)
    let (_, routing) = MixtureOfExperts(experts: experts(4), gate: router).forward(inputs(8))
    #expect(Array(routing.assignments.tokens(of: 0)) == [0, 1, 2, 3])
    #expect(Array(routing.assignments.tokens(of: 1)) == [0, 1, 2, 3])
    #expect(routing.droppedTokens == [4, 5, 6, 7])
    // The weights of a token's two experts are renormalized to sum to 1.
    let combine = routing.combineMatrix.scalars
    #expect(abs(combine[0] + combine[1] - 1) < 1e-6)
  }

  @Test func expertChoiceGivesEachExpertExactlyCapacityTokens() throws {
    var generator = SeededGenerator(seed: 4)
    let router = try ExpertChoiceRouter(inputSize: 6, expertCount: 4, capacityFactor: 1, using: &generator)
    #expect(router.capacity(tokens: 10) == 3)
    let (_, routing) = MixtureOfExperts(experts: experts(4), gate: router).forward(inputs(10))
    #expect(routing.tokensPerExpert == [3, 3, 3, 3])
    let perToken = routing.expertsPerToken.map(\.count)
    #expect(perToken.reduce(0, +) == 12)
    #expect(routing.unroutedTokens == perToken.indices.filter { perToken[$0] == 0 })
    // Each expert took its highest-probability tokens.
    let probabilities = routing.probabilities.scalars
    for expert in 0..<4 {
      let chosen = Set(routing.assignments.tokens(of: expert))
      let lowestChosen = chosen.map { probabilities[$0 * 4 + expert] }.min()!
      for token in 0..<10 where !chosen.contains(token) { #expect(probabilities[token * 4 + expert] <= lowestChosen) }
    }
  }

  @Test func expertChoiceCanLeaveTokensUnchosen() throws {
    var generator = SeededGenerator(seed: 5)
    let router = Self.biased(
      try ExpertChoiceRouter(inputSize: 6, expertCount: 2, capacityFactor: 0.5, using: &generator), [0, 0])
    let (output, routing) = MixtureOfExperts(experts: experts(2), gate: router).forward(inputs(8))
    // Equal scores: both experts take the first two tokens (ties go to the lower index).
    #expect(routing.tokensPerExpert == [2, 2])
    #expect(routing.unroutedTokens == [2, 3, 4, 5, 6, 7])
    #expect(output.scalars[6...].allSatisfy { $0 == 0 })
  }

  @Test func thresholdZeroEvaluatesEveryExpertAndEqualsDense() throws {
    var generator = SeededGenerator(seed: 6)
    let threshold = try ThresholdGate(inputSize: 6, expertCount: 3, threshold: 0, using: &generator)
    generator = SeededGenerator(seed: 6)
    let softmax = try SoftmaxGate(inputSize: 6, expertCount: 3, using: &generator)
    let shared = experts(3)
    let x = inputs(12)
    let conditional = MixtureOfExperts(experts: shared, gate: threshold, dispatch: .sparse)
    let (output, routing) = conditional.forward(x)
    #expect(routing.expertEvaluations == 36)
    #expect(routing.skippedEvaluations == 0)
    #expect(maximumDifference(output.scalars, MixtureOfExperts(experts: shared, gate: softmax)(x).scalars) < 1e-6)
  }

  @Test func thresholdOneEvaluatesNothingAndSaysSo() throws {
    var generator = SeededGenerator(seed: 7)
    let gate = try ThresholdGate(inputSize: 6, expertCount: 3, threshold: 1, using: &generator)
    let (output, routing) = MixtureOfExperts(experts: experts(3), gate: gate).forward(inputs(5))
    #expect(routing.expertEvaluations == 0)
    #expect(routing.skippedEvaluations == 15)
    #expect(routing.computeFraction == 0)
    #expect(routing.unroutedTokens == [0, 1, 2, 3, 4])
    #expect(output.shape == [5, 3])
    #expect(output.scalars.allSatisfy { $0 == 0 })
  }

  @Test func thresholdSkipsExactlyTheExpertsBelowIt() throws {
    var generator = SeededGenerator(seed: 8)
    let gate = try ThresholdGate(inputSize: 6, expertCount: 4, threshold: 0.25, using: &generator)
    let (_, routing) = MixtureOfExperts(experts: experts(4), gate: gate).forward(inputs(30))
    let p = routing.probabilities.scalars
    #expect(routing.expertEvaluations == p.filter { $0 >= 0.25 }.count)
    #expect(routing.expertEvaluations > 0 && routing.skippedEvaluations > 0)
  }

  @Test func taskIdsConfineTrainingToTheTasksExperts() throws {
    var generator = SeededGenerator(seed: 9)
    let gate = try TaskGate(inputSize: 6, tasks: 2, expertsPerTask: 2, using: &generator)
    let mixture = MixtureOfExperts(experts: experts(4), gate: gate)
    let x = inputs(6)
    let (output, routing) = mixture.forward(x, tasks: [1, 1, 1, 1, 1, 1])
    #expect(routing.tokensPerExpert == [0, 0, 6, 6])
    let weights = routing.combineMatrix.scalars
    for token in 0..<6 {
      #expect(weights[token * 4] == 0 && weights[token * 4 + 1] == 0)
      #expect(abs(weights[token * 4 + 2] + weights[token * 4 + 3] - 1) < 1e-6)
    }
    mixture.zeroGrad()
    projection(output).backward()
    #expect(mixture.experts[0].parameters.allSatisfy { $0.grad == nil || $0.grad!.scalars.allSatisfy { $0 == 0 } })
    #expect(mixture.experts[2].parameters.contains { $0.grad?.scalars.contains { $0 != 0 } ?? false })
  }

  @Test func learnedTaskGateMixesGroupsByTheClassifier() throws {
    var generator = SeededGenerator(seed: 10)
    let gate = try TaskGate(inputSize: 6, tasks: 2, expertsPerTask: 2, using: &generator)
    let decision = gate.route(inputs(5))
    let q = gate.taskClassifier(inputs(5)).softmax(axis: 1).scalars
    let g = decision.combineMatrix.scalars
    for token in 0..<5 {
      #expect(abs(g[token * 4] + g[token * 4 + 1] - q[token * 2]) < 1e-6)
      #expect(abs(g[token * 4 + 2] + g[token * 4 + 3] - q[token * 2 + 1]) < 1e-6)
    }
  }

  @Test func noisyGateIsPlainTopKInEvaluationAndNoisyInTraining() throws {
    var generator = SeededGenerator(seed: 11)
    let noisy = try NoisyTopKGate(inputSize: 6, expertCount: 6, k: 2, seed: 5, using: &generator)
    generator = SeededGenerator(seed: 11)
    let plain = try TopKGate(inputSize: 6, expertCount: 6, k: 2, using: &generator)
    let x = inputs(64)
    noisy.eval()
    #expect(noisy.route(x).assignments.tokens == plain.route(x).assignments.tokens)
    #expect(noisy.route(x).load == nil)
    noisy.train()
    let training = noisy.route(x)
    #expect(training.assignments.tokens != plain.route(x).assignments.tokens)
    // The smooth load is a sum of probabilities over the batch: between 0 and N per expert, k N in all (about).
    let load = training.load!.scalars
    #expect(load.allSatisfy { $0 >= 0 && $0 <= 64 })
    #expect(abs(load.reduce(0, +) - 128) < 128 * 0.35)
    // Same seed, same noise.
    generator = SeededGenerator(seed: 11)
    let again = try NoisyTopKGate(inputSize: 6, expertCount: 6, k: 2, seed: 5, using: &generator)
    #expect(again.route(x).assignments.tokens == training.assignments.tokens)
  }
}
