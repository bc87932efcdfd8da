import MoE
import Testing

@Suite struct GrowingTests {
  static func identities(_ tensors: [Tensor]) -> Set<ObjectIdentifier> { Set(tensors.map(ObjectIdentifier.init)) }

  @Test func anAddedExpertGetsAGateRowAndTheChangeNamesEveryNewAndRetiredTensor() throws {
    var generator = SeededGenerator(seed: 1)
    let gate = try TopKGate(inputSize: 6, expertCount: 2, k: 1, using: &generator)
    let mixture = MixtureOfExperts(experts: experts(2), gate: gate)
    let (oldWeight, oldBias) = (gate.weight, gate.bias)
    let newExpert = experts(1, seed: 9)[0]
    let change = try mixture.addExpert(newExpert, using: &generator)

    #expect(mixture.experts.count == 3 && gate.expertCount == 3)
    #expect(Array(gate.weight.scalars.prefix(12)) == oldWeight.scalars)
    #expect(Self.identities(change.added) == Self.identities(newExpert.parameters + [gate.weight, gate.bias]))
    #expect(Self.identities(change.removed) == Self.identities([oldWeight, oldBias]))
    #expect(Self.identities(mixture.parameters).isSuperset(of: Self.identities(change.added)))
    #expect(Self.identities(mixture.parameters).isDisjoint(with: Self.identities(change.removed)))

    // A large bias on the new row sends every token to the new expert, with weight 1.
    set(gate.bias, [0, 0, 100])
    let x = inputs(5)
    let (y, routing) = mixture.forward(x)
    #expect(routing.tokensPerExpert == [0, 0, 5])
    #expect(maximumDifference(y.scalars, newExpert(x).scalars) < 1e-6)
    projection(y).backward()
    #expect(gate.weight.grad != nil)
  }

  /// Removing expert 0 of a softmax mixture leaves the mixture of experts 1 and 2 with gate rows 1 and 2.
  @Test func removingAnExpertLeavesTheMixtureOfTheOthers() throws {
    var generator = SeededGenerator(seed: 2)
    let gate = try SoftmaxGate(inputSize: 6, expertCount: 3, using: &generator)
    let all = experts(3)
    let mixture = MixtureOfExperts(experts: all, gate: gate)
    let (weight, bias) = (gate.weight.scalars, gate.bias.scalars)
    let change = try mixture.removeExpert(at: 0)
    #expect(Self.identities(change.removed).isSuperset(of: Self.identities(all[0].parameters)))

    let x = inputs(4)
    let oracleGate = try SoftmaxGate(inputSize: 6, expertCount: 2, using: &generator)
    set(oracleGate.weight, Array(weight[6...]))
    set(oracleGate.bias, Array(bias[1...]))
    let oracle = MixtureOfExperts(experts: [all[1], all[2]], gate: oracleGate)
    #expect(maximumDifference(mixture(x).scalars, oracle(x).scalars) < 1e-6)
  }

  @Test func theNoisyGateGrowsItsNoiseWeightWithAZeroRow() throws {
    var generator = SeededGenerator(seed: 3)
    let gate = try NoisyTopKGate(inputSize: 6, expertCount: 2, k: 1, seed: 4, using: &generator)
    set(gate.noiseWeight, (0..<12).map(Float.init))
    let change = try gate.addExpert(using: &generator)
    #expect(gate.noiseWeight.shape == [3, 6])
    #expect(gate.noiseWeight.scalars == (0..<12).map(Float.init) + [Float](repeating: 0, count: 6))
    #expect(change.added.count == 3 && change.removed.count == 3)
    _ = try gate.removeExpert(at: 0)
    #expect(Array(gate.noiseWeight.scalars.prefix(6)) == (6..<12).map(Float.init))
  }

  @Test func routersRefuseToGoBelowWhatTheyNeedAndTaskGatesDoNotResize() throws {
    var generator = SeededGenerator(seed: 5)
    let topTwo = MixtureOfExperts(
      experts: experts(2), gate: try TopKGate(inputSize: 6, expertCount: 2, k: 2, using: &generator))
    #expect(throws: MoEConfigurationError.self) { try topTwo.removeExpert(at: 0) }
    #expect(throws: MoEConfigurationError.self) { try topTwo.removeExpert(at: 5) }
    #expect(topTwo.experts.count == 2 && topTwo.gate.expertCount == 2)
    let tasks = MixtureOfExperts(
      experts: experts(2), gate: try TaskGate(inputSize: 6, tasks: 2, expertsPerTask: 1, using: &generator))
    #expect(throws: MoEConfigurationError.self) { try tasks.addExpert(experts(1)[0], using: &generator) }
  }
}
