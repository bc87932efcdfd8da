import NeuralNetworks

/// A layer that routes each input to experts and combines their outputs:
///
///     y(x) = sum_e g_e(x) E_e(x)
///
/// where the gate g (any `Router`) decides which g_e(x) are non-zero, as a `RoutingChoice`: dense
/// ([N, E] weights), token choice ([N, k] experts and weights) or expert choice ([E, C] tokens and
/// weights). Two ways to compute it give
/// the same y:
/// - dense: every expert runs on the whole batch, and the outputs are summed with the [N, E]
///   combine weights (zeros included). Cost grows with E.
/// - sparse dispatch: the batch's (token, expert) pairs are grouped by expert; each expert gathers
///   its tokens, runs once on that contiguous block, and the rows are scaled by their weights and
///   added back into their tokens' rows. Cost grows with the number of pairs (N k for top-k), not E.
/// `.automatic` picks dense for a dense gate and sparse otherwise.
///
/// Inputs of shape [B, T, D] are routed token by token: flattened to [B T, D], mixed, and the output
/// restored to [B, T, O]. With a `gateInput`, the gate reads gateInput(x) (e.g. the mean embedding of
/// each sequence) while the experts read x itself, one row per input; a `SequenceExpert` among them
/// also gets each of its rows' lengths from `RoutingContext.lengths`.
///
/// A mixture is itself a `Layer`, so an expert may be a mixture: hierarchical mixtures come from
/// composition, and each level's routing record nests in its parent's. Called as a layer inside a
/// container, it hands its record to `collectRouting`. `addExpert` and `removeExpert` grow and
/// shrink it. Parameters are named `experts.<e>.*` and `gate.*`.
public final class MixtureOfExperts: RoutingRecordProducer {
  public enum Dispatch: Sendable {
    case automatic, dense, sparse
  }

  public private(set) var experts: [any Layer]
  public let gate: any Router
  public var dispatch: Dispatch
  /// What the gate reads, computed from the mixture's input; nil for the input itself.
  public var gateInput: ((Tensor) -> Tensor)?
  private var cachedOutputWidth: Int?

  public init(
    experts: [any Layer], gate: any Router, dispatch: Dispatch = .automatic, gateInput: ((Tensor) -> Tensor)? = nil
  ) {
    if experts.isEmpty { tensorFailure("MixtureOfExperts: no experts given") }
    if gate.expertCount != experts.count {
      tensorFailure("MixtureOfExperts: the gate routes to \(gate.expertCount) experts but \(experts.count) were given")
    }
    self.experts = experts
    self.gate = gate
    self.dispatch = dispatch
    self.gateInput = gateInput
  }

  /// The output, [N, O]; the routing record goes to the `collectRouting` in progress, if any.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    let (output, routing) = forward(input)
    RoutingCollection.report(routing)
    return output
  }

  /// The output and the routing record. `tasks` gives each input's task id for a `TaskGate`.
  public func forward(_ input: Tensor, tasks: [Int]? = nil) -> (output: Tensor, routing: RoutingRecord) {
    forward(input, context: RoutingContext(tasks: tasks))
  }

  /// The output and the routing record, with the full routing context.
  public func forward(_ input: Tensor, context: RoutingContext) -> (output: Tensor, routing: RoutingRecord) {
    if input.rank == 3 && gateInput == nil {
      let (batch, time) = (input.shape[0], input.shape[1])
      let (output, routing) = forward(input.reshaped([batch * time, input.shape[2]]), context: context)
      return (output.reshaped([batch, time, output.shape[1]]), routing)
    }
    if let lengths = context.lengths, lengths.count != input.shape[0] {
      tensorFailure("MixtureOfExperts: \(lengths.count) lengths for a batch of \(input.shape[0]) inputs")
    }
    // g(x): the gate's decision, in one of the three shapes of `RoutingChoice`.
    let decision = gate.route(gateInput.map { $0(input) } ?? input, context: context)
    let useDense: Bool
    switch dispatch {
    case .automatic: useDense = decision.isDense
    case .dense: useDense = true
    case .sparse: useDense = false
    }
    var nested = [NestedRouting?](repeating: nil, count: experts.count)
    let tokenCount = input.shape[0]

    if useDense {
      // y_n = sum_e G[n, e] E_e(x_n): every expert on the whole batch, G the [N, E] combine matrix
      // (zero where token n does not go to expert e).
      let allRows = Array(0..<tokenCount)
      let outputs = experts.enumerated().map { index, expert in
        run(expert: index, expert, on: input, rows: allRows, context: context, nested: &nested)
      }
      checkOutputs(outputs)
      let output = Tensor.weightedSum(outputs, weights: decision.combineMatrix)
      let record = RoutingRecord(decision: decision, expertEvaluations: tokenCount * experts.count, nested: nested)
      return (output, record)
    }

    // y_n = sum over the pairs (n, e) the gate chose of g_e(x_n) E_e(x_n), computed expert by expert:
    // expert e runs once on the block of its tokens x[tokens(of: e)], each output row is scaled by
    // its pair's weight g_e(x_n) and added into row n of y. Cost grows with the pairs, not with E.
    let assignments = ExpertAssignments(grouping: decision.choice, tokenCount: tokenCount, expertCount: experts.count)
    if assignments.count > 0, let weights = feedForwardWeights(inputWidth: input.shape[1]) {
      // Every expert a ReLU perceptron: the same computation as the loop below, as one op without
      // the per-expert intermediate tensors (bit-identical results).
      let output = Tensor.routedFeedForward(
        input, rows: assignments.tokens, counts: assignments.tokensPerExpert,
        weights: assignments.weights(from: decision.choice), experts: weights)
      cachedOutputWidth = output.shape[1]
      let record = RoutingRecord(
        decision: decision, assignments: assignments, expertEvaluations: assignments.count, nested: nested)
      return (output, record)
    }
    var blocks: [Tensor] = []
    for (index, expert) in experts.enumerated() {
      let rows = Array(assignments.tokens(of: index))
      if rows.isEmpty { continue }
      let block = rows.count == tokenCount && rows.elementsEqual(0..<tokenCount) ? input : input.indexSelect(rows: rows)
      blocks.append(run(expert: index, expert, on: block, rows: rows, context: context, nested: &nested))
    }
    checkOutputs(blocks)
    let record = RoutingRecord(
      decision: decision, assignments: assignments, expertEvaluations: assignments.count, nested: nested)
    if blocks.isEmpty { return (Tensor.zeros([tokenCount, outputWidth(probing: input)]), record) }
    let output = Tensor.weightedScatter(
      blocks, rows: assignments.tokens, weights: assignments.weights(from: decision.choice), rowCount: tokenCount)
    return (output, record)
  }

  /// Adds `expert` as the last expert; the gate gains a row drawn from `generator` (the other
  /// experts' rows are unchanged). Returns the parameters added (the expert's and the gate's new
  /// tensors) and removed (the gate's old ones), for the optimizer. Throws when the gate cannot be
  /// resized (a `TaskGate`, whose groups would have to change too).
  @discardableResult
  public func addExpert(
    _ expert: any Layer, using generator: inout SeededGenerator
  ) throws(MoEConfigurationError) -> ParameterChange {
    let router = try resizableGate()
    let change = try router.addExpert(using: &generator)
    experts.append(expert)
    return ParameterChange(added: expert.parameters + change.added, removed: change.removed)
  }

  /// Removes expert `index` and its gate row; later experts move down by one. Returns the
  /// parameters removed (the expert's and the gate's old tensors) and added (the gate's new ones).
  @discardableResult
  public func removeExpert(at index: Int) throws(MoEConfigurationError) -> ParameterChange {
    let router = try resizableGate()
    try requireOption(
      index >= 0 && index < experts.count, "MixtureOfExperts", "index",
      "expert \(index) is outside 0..<\(experts.count)")
    let change = try router.removeExpert(at: index)
    let removed = experts.remove(at: index)
    return ParameterChange(added: change.added, removed: removed.parameters + change.removed)
  }

  private func resizableGate() throws(MoEConfigurationError) -> any ResizableRouter {
    guard let router = gate as? any ResizableRouter else {
      throw .unsupported(
        function: "MixtureOfExperts", message: "the gate \(type(of: gate)) cannot add or remove experts")
    }
    return router
  }

  /// Runs one expert on `block` (rows `rows` of the batch), keeping its routing if it is a mixture.
  private func run(
    expert index: Int, _ expert: any Layer, on block: Tensor, rows: [Int], context: RoutingContext,
    nested: inout [NestedRouting?]
  ) -> Tensor {
    // Lengths first: a failed cast to a protocol costs more than a small expert's forward pass.
    if let lengths = context.lengths, let sequenceExpert = expert as? any SequenceExpert {
      return sequenceExpert(block, lengths: rows.map { lengths[$0] })
    }
    guard let mixture = expert as? MixtureOfExperts else { return expert(block) }
    let (output, record) = mixture.forward(block, context: context.restricted(to: rows))
    nested[index] = NestedRouting(tokens: rows, record: record)
    return output
  }

  /// The experts' weights when every expert is a `FeedForwardExpert` with ReLU, all of one shape
  /// and reading `inputWidth` features; nil otherwise (the general path then runs, and reports any
  /// mismatch in its own words).
  private func feedForwardWeights(inputWidth: Int) -> [FeedForwardWeights]? {
    guard let first = experts.first as? FeedForwardExpert else { return nil }
    var weights: [FeedForwardWeights] = []
    weights.reserveCapacity(experts.count)
    for expert in experts {
      guard let expert = expert as? FeedForwardExpert, expert.activation is ReLU,
        expert.inputSize == inputWidth, expert.hiddenSize == first.hiddenSize, expert.outputSize == first.outputSize
      else { return nil }
      weights.append(
        FeedForwardWeights(
          hiddenWeight: expert.hidden.weight, hiddenBias: expert.hidden.bias, outputWeight: expert.output.weight,
          outputBias: expert.output.bias))
    }
    return weights
  }

  private func checkOutputs(_ outputs: [Tensor]) {
    guard let first = outputs.first else { return }
    if first.rank != 2 {
      tensorFailure("MixtureOfExperts: experts must return [N, O] outputs, got \(first.shape)")
    }
    for output in outputs.dropFirst() where output.shape[1] != first.shape[1] {
      tensorFailure("MixtureOfExperts: expert outputs differ in width: \(first.shape) and \(output.shape)")
    }
    cachedOutputWidth = first.shape[1]
  }

  /// The experts' output width when no expert ran this batch: learned from an earlier batch, or
  /// from one input row through expert 0 without recording gradients.
  private func outputWidth(probing input: Tensor) -> Int {
    if let width = cachedOutputWidth { return width }
    let width = withoutGradients { experts[0](input.slice(axis: 0, 0..<1)).shape[1] }
    cachedOutputWidth = width
    return width
  }
}
