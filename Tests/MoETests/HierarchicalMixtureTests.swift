import MoE
import Testing

/// `MixtureOfExperts.hierarchy` builds the tree it is asked for, in a fixed order, and the record's
/// `leafEvaluations` and `gateEvaluations` count what a pass through the tree computed.
@Suite struct HierarchicalMixtureTests {
  /// Constant leaves: zero weights, so E(x) is the output bias, whatever x.
  static func constantLeaf(_ value: Float, using generator: inout SeededGenerator) -> FeedForwardExpert {
    let leaf = FeedForwardExpert(inputSize: 2, hiddenSize: 3, outputSize: 1, using: &generator)
    for parameter in leaf.parameters { set(parameter, [Float](repeating: 0, count: parameter.count)) }
    set(leaf.output.bias!, [value])
    return leaf
  }

  /// A tree of `branching` with top-k gates (k per level, capped at the level's width), leaves 2-3-1.
  static func tree(_ branching: [Int], k: Int, dispatch: MixtureOfExperts.Dispatch = .sparse, seed: UInt64 = 5)
    throws -> MixtureOfExperts
  {
    var generator = SeededGenerator(seed: seed)
    return try MixtureOfExperts.hierarchy(
      branching: branching, dispatch: dispatch,
      gate: { _, count, generator in try TopKGate(inputSize: 2, expertCount: count, k: min(k, count), using: &generator)
      },
      leaf: { _, generator in FeedForwardExpert(inputSize: 2, hiddenSize: 3, outputSize: 1, using: &generator) },
      using: &generator)
  }

  @Test func buildsEachNodesExpertsBeforeItsGateDepthFirst() throws {
    var generator = SeededGenerator(seed: 1)
    var calls: [String] = []
    let mixture = try MixtureOfExperts.hierarchy(
      branching: [2, 3],
      gate: { path, count, generator in
        calls.append("gate \(path) over \(count)")
        return try SoftmaxGate(inputSize: 2, expertCount: count, using: &generator)
      },
      leaf: { path, generator in
        calls.append("leaf \(path)")
        return FeedForwardExpert(inputSize: 2, hiddenSize: 3, outputSize: 1, using: &generator)
      },
      using: &generator)
    #expect(
      calls == [
        "leaf [0, 0]", "leaf [0, 1]", "leaf [0, 2]", "gate [0] over 3", "leaf [1, 0]", "leaf [1, 1]", "leaf [1, 2]",
        "gate [1] over 3", "gate [] over 2",
      ])
    #expect(mixture.experts.count == 2)
    #expect(mixture.experts.allSatisfy { ($0 as? MixtureOfExperts)?.experts.count == 3 })
    #expect(mixture.namedParameters.map(\.name).contains("experts.1.experts.2.output.bias"))
  }

  /// The builder draws from the generator in the order a hand-built two-level mixture does (each
  /// group's experts, then its gate; the top gate last), so both have the same parameters.
  @Test func equalsTheSameTreeBuiltByHand() throws {
    var byHand = SeededGenerator(seed: 9)
    let groups = try (0..<3).map { _ in
      let leaves = FeedForwardExpert.make(count: 2, inputSize: 2, hiddenSize: 3, outputSize: 1, using: &byHand)
      return MixtureOfExperts(experts: leaves, gate: try SoftmaxGate(inputSize: 2, expertCount: 2, using: &byHand))
    }
    let handBuilt = MixtureOfExperts(
      experts: groups, gate: try SoftmaxGate(inputSize: 2, expertCount: 3, using: &byHand))
    var generator = SeededGenerator(seed: 9)
    let built = try MixtureOfExperts.hierarchy(
      branching: [3, 2],
      gate: { _, count, generator in try SoftmaxGate(inputSize: 2, expertCount: count, using: &generator) },
      leaf: { _, generator in FeedForwardExpert(inputSize: 2, hiddenSize: 3, outputSize: 1, using: &generator) },
      using: &generator)
    #expect(built.namedParameters.map(\.name) == handBuilt.namedParameters.map(\.name))
    #expect(built.parameters.flatMap(\.scalars) == handBuilt.parameters.flatMap(\.scalars))
  }

  /// Gates with zero weights and chosen biases: g = (1/4, 3/4) at the top, (1/2, 1/2) in each group,
  /// leaves 1, 2 | 3, 4: y = 1/4 (1 + 2) / 2 + 3/4 (3 + 4) / 2 = 0.375 + 2.625 = 3.
  @Test func outputIsTheProductOfTheGatesAlongEachPath() throws {
    var generator = SeededGenerator(seed: 2)
    let values: [Float] = [1, 2, 3, 4]
    let mixture = try MixtureOfExperts.hierarchy(
      branching: [2, 2],
      gate: { path, count, generator in
        let gate = try SoftmaxGate(inputSize: 2, expertCount: count, using: &generator)
        set(gate.scores.weight, [Float](repeating: 0, count: 2 * count))
        // ln 3 at the top: softmax(0, ln 3) = (1/4, 3/4).
        set(gate.scores.bias, path.isEmpty ? [0, 1.0986123] : [0, 0])
        return gate
      },
      leaf: { path, generator in Self.constantLeaf(values[2 * path[0] + path[1]], using: &generator) },
      using: &generator)
    let output = mixture(inputs(4, 2))
    #expect(maximumDifference(output.scalars, [3, 3, 3, 3]) < 1e-6)
  }

  /// Top-k at each of d levels: k^d leaves and 1 + k + ... + k^(d-1) gates per input.
  @Test(arguments: [([4], 1), ([4], 2), ([4, 4], 1), ([4, 4], 2), ([4, 4, 4], 1), ([4, 4, 4], 2), ([3, 2], 2)])
  func sparseTreesEvaluateKToTheDepthLeaves(branching: [Int], k: Int) throws {
    let mixture = try Self.tree(branching, k: k)
    let n = 40
    let routing = mixture.forward(inputs(n, 2)).routing
    var leavesPerInput = 1
    var gatesPerInput = 0
    for width in branching {
      gatesPerInput += leavesPerInput
      leavesPerInput *= min(k, width)
    }
    #expect(routing.leafEvaluations == n * leavesPerInput)
    #expect(routing.gateEvaluations == n * gatesPerInput)
    #expect(routing.leafAssignments.allSatisfy { $0.count == leavesPerInput })
  }

  /// Dense dispatch runs every leaf and every gate on every input; a flat mixture's leaves are its experts.
  @Test func denseTreesEvaluateEveryLeafAndFlatMixturesTheirExperts() throws {
    let dense = try Self.tree([4, 4, 4], k: 2, dispatch: .dense)
    let routing = dense.forward(inputs(10, 2)).routing
    #expect(routing.leafEvaluations == 10 * 64)
    #expect(routing.gateEvaluations == 10 * 21)
    var generator = SeededGenerator(seed: 3)
    let flat = MixtureOfExperts(
      experts: experts(5, inputSize: 2), gate: try TopKGate(inputSize: 2, expertCount: 5, k: 2, using: &generator))
    let flatRouting = flat.forward(inputs(7, 2)).routing
    #expect(flatRouting.leafEvaluations == flatRouting.expertEvaluations)
    #expect(flatRouting.leafEvaluations == 14)
    #expect(flatRouting.gateEvaluations == 7)
  }
}
