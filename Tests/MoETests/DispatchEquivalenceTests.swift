import MoE
import Testing

/// The two ways of computing a mixture, and the gates that reduce to one another, must agree.
@Suite struct DispatchEquivalenceTests {
  @Test func topKWithEveryExpertEqualsDenseSoftmaxMixture() throws {
    var generator = SeededGenerator(seed: 7)
    let softmaxGate = try SoftmaxGate(inputSize: 6, expertCount: 4, using: &generator)
    generator = SeededGenerator(seed: 7)
    let topKGate = try TopKGate(inputSize: 6, expertCount: 4, k: 4, using: &generator)
    #expect(softmaxGate.weight.scalars == topKGate.weight.scalars)
    let shared = experts(4)
    let dense = MixtureOfExperts(experts: shared, gate: softmaxGate)
    let sparse = MixtureOfExperts(experts: shared, gate: topKGate)
    let x = inputs(10, requiresGrad: true)

    #expect(maximumDifference(dense(x).scalars, sparse(x).scalars) < 1e-6)
    let tracked = [x] + dense.parameters
    let denseGradients = gradients(of: tracked) { projection(dense(x)) }
    let sparseGradients = gradients(of: [x] + sparse.parameters) { projection(sparse(x)) }
    #expect(maximumDifference(denseGradients, sparseGradients) < 1e-5)
  }

  /// Options that every router in the registry accepts, so each can be built by name.
  static let everyRouterOptions = RouterOptions(
    inputSize: 6, expertCount: 5, k: 2, capacityFactor: 0.8, threshold: 0.2, noiseSeed: 3, groups: [[0, 1], [2, 3]])

  /// Sparse dispatch must equal running every expert with the unselected experts' weights at zero.
  @Test(arguments: RouterRegistry.names)
  func sparseDispatchEqualsMaskedDense(routerName: String) throws {
    var generator = SeededGenerator(seed: 21)
    let gate = try RouterRegistry.make(routerName, options: Self.everyRouterOptions, using: &generator)
    let shared = experts(gate.expertCount, seed: 5)
    let mixture = MixtureOfExperts(experts: shared, gate: gate)
    let x = inputs(16, requiresGrad: true)
    let noise = inputs(16, gate.expertCount, seed: 99)
    let tasks = (0..<16).map { $0 % 2 }
    let context = RoutingContext(tasks: gate is TaskGate ? tasks : nil, noise: noise)

    mixture.dispatch = .sparse
    let sparse = mixture.forward(x, context: context)
    let sparseGradients = gradients(of: [x] + mixture.parameters) {
      projection(mixture.forward(x, context: context).output)
    }
    mixture.dispatch = .dense
    let dense = mixture.forward(x, context: context)
    let denseGradients = gradients(of: [x] + mixture.parameters) {
      projection(mixture.forward(x, context: context).output)
    }

    #expect(maximumDifference(sparse.output.scalars, dense.output.scalars) < 1e-5)
    #expect(maximumDifference(sparseGradients, denseGradients) < 1e-4)
    #expect(sparse.routing.expertEvaluations == sparse.routing.assignments.count)
    #expect(dense.routing.expertEvaluations == 16 * gate.expertCount)
  }

  /// Hides a `FeedForwardExpert` from the mixture's one-op path, so the general path runs it.
  final class OpaqueExpert: Layer {
    let expert: FeedForwardExpert
    init(_ expert: FeedForwardExpert) { self.expert = expert }
    var children: [(name: String, module: any Module)] { [("expert", expert)] }
    func callAsFunction(_ input: Tensor) -> Tensor { expert(input) }
  }

  /// ReLU perceptron experts take one op (`routedFeedForward`) under sparse dispatch; it must give
  /// the general path's output and gradients bit for bit, with every router.
  @Test(arguments: RouterRegistry.names)
  func feedForwardExpertsTakeOneOpWithIdenticalResults(routerName: String) throws {
    var generator = SeededGenerator(seed: 23)
    let gate = try RouterRegistry.make(routerName, options: Self.everyRouterOptions, using: &generator)
    let shared = experts(gate.expertCount, seed: 6)
    let fused = MixtureOfExperts(experts: shared, gate: gate, dispatch: .sparse)
    let general = MixtureOfExperts(experts: shared.map(OpaqueExpert.init), gate: gate, dispatch: .sparse)
    let x = inputs(16, requiresGrad: true)
    let noise = inputs(16, gate.expertCount, seed: 98)
    let context = RoutingContext(tasks: gate is TaskGate ? (0..<16).map { $0 % 2 } : nil, noise: noise)

    let fusedOutput = fused.forward(x, context: context).output
    #expect(fusedOutput.operation == "routedFeedForward")
    #expect(general.forward(x, context: context).output.operation == "weightedScatter")
    let tracked = [x] + fused.parameters
    let fusedGradients = gradients(of: tracked) { projection(fused.forward(x, context: context).output) }
    let generalGradients = gradients(of: tracked) { projection(general.forward(x, context: context).output) }
    #expect(
      fusedOutput.scalars.map(\.bitPattern) == general.forward(x, context: context).output.scalars.map(\.bitPattern))
    #expect(fusedGradients.map(\.bitPattern) == generalGradients.map(\.bitPattern))
  }

  @Test func sparseCostGrowsWithKNotWithExperts() throws {
    for expertCount in [4, 16] {
      var generator = SeededGenerator(seed: 2)
      let gate = try TopKGate(inputSize: 6, expertCount: expertCount, k: 2, using: &generator)
      let mixture = MixtureOfExperts(experts: experts(expertCount), gate: gate)
      let (_, routing) = mixture.forward(inputs(32))
      #expect(routing.expertEvaluations == 64)
      #expect(routing.tokensPerExpert.reduce(0, +) == 64)
      #expect(abs(routing.computeFraction - 2 / Double(expertCount)) < 1e-12)
    }
  }

  @Test func hierarchicalMixtureWithOneSubExpertPerBranchEqualsFlatMixture() throws {
    var generator = SeededGenerator(seed: 4)
    let topGate = try SoftmaxGate(inputSize: 6, expertCount: 3, using: &generator)
    let leaves = experts(3)
    let branches = try leaves.map { leaf in
      MixtureOfExperts(experts: [leaf], gate: try SoftmaxGate(inputSize: 6, expertCount: 1, using: &generator))
    }
    let hierarchical = MixtureOfExperts(experts: branches, gate: topGate)
    let flat = MixtureOfExperts(experts: leaves, gate: topGate)
    let x = inputs(9, requiresGrad: true)
    let (output, routing) = hierarchical.forward(x)

    #expect(maximumDifference(output.scalars, flat(x).scalars) < 1e-6)
    let hierarchicalGradients = gradients(of: [x] + flat.parameters) { projection(hierarchical(x)) }
    let flatGradients = gradients(of: [x] + flat.parameters) { projection(flat(x)) }
    #expect(maximumDifference(hierarchicalGradients, flatGradients) < 1e-5)
    #expect(routing.nested.count == 3)
    #expect(routing.nested.allSatisfy { $0?.record.expertCount == 1 && $0?.tokens == Array(0..<9) })
    #expect(hierarchical.namedParameters.map(\.name).contains("experts.2.experts.0.output.bias"))
  }

  @Test func nestedSparseMixturesRecordTheRowsTheySaw() throws {
    var generator = SeededGenerator(seed: 8)
    let branches = try (0..<2).map { index in
      MixtureOfExperts(
        experts: experts(2, seed: UInt64(index + 10)),
        gate: try TopKGate(inputSize: 6, expertCount: 2, k: 1, using: &generator))
    }
    let top = MixtureOfExperts(
      experts: branches, gate: try TopKGate(inputSize: 6, expertCount: 2, k: 1, using: &generator))
    let x = inputs(12)
    let (output, routing) = top.forward(x)
    for expert in 0..<2 {
      let rows = Array(routing.assignments.tokens(of: expert))
      if rows.isEmpty { continue }
      let nested = routing.nested[expert]!
      #expect(nested.tokens == rows)
      #expect(nested.record.tokenCount == rows.count)
      // The branch's own output on its rows, scaled by the top weight (1 for k = 1), is the output there.
      let branchOutput = branches[expert](x.indexSelect(rows: rows))
      for (local, row) in rows.enumerated() {
        let expected = Array(branchOutput.scalars[(local * 3)..<(local * 3 + 3)])
        #expect(maximumDifference(Array(output.scalars[(row * 3)..<(row * 3 + 3)]), expected) < 1e-6)
      }
    }
  }
}
