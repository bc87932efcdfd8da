import NeuralNetworks

/// Top-k routing balanced without an auxiliary loss (Wang et al. 2024, "Auxiliary-Loss-Free Load
/// Balancing Strategy for Mixture-of-Experts"; DeepSeek-V3, 2024). A per-expert bias b_e is added to
/// the scores s = x W^T + b only to choose the experts, never to weight them:
///
///     chosen(x)  = the k experts with the largest s_e(x) + b_e
///     G_e(x)     = softmax over the chosen experts of s_e(x), zero for the others
///
/// After every training step the bias moves toward balance by a fixed amount gamma:
///
///     b_e <- b_e + gamma * sign(mean_e' load_e' - load_e)
///
/// with load_e the tokens routed to expert e in that step (`updateBias(load:)`). An overloaded expert
/// becomes a little harder to choose, an idle one a little easier. No gradient flows through the bias
/// and none is needed: unlike a balancing loss it adds no term that competes with the task's
/// gradient. The bias is a `Buffer` (`selectionBias`), so optimizers leave it alone and checkpoints
/// save it. The combine weights are those of `TopKGate` over the chosen experts (DeepSeek-V3 also
/// normalizes the chosen experts' affinities); the reported probabilities are softmax(s), without
/// the bias. With the bias at zero the gate routes exactly as `TopKGate`.
/// Parameters: `weight` [E, inputSize], `bias` [E]; buffer `selectionBias` [E].
public final class BiasBalancedTopKGate: ScoringRouter {
  public let scores: ExpertScoringLayer
  public let k: Int
  /// gamma, the step of the bias update (DeepSeek-V3 uses 0.001).
  public let updateRate: Float
  /// b, one value per expert, added to the scores for selection only.
  public let selectionBias: Buffer

  public init(
    inputSize: Int, expertCount: Int, k: Int, updateRate: Float = 0.001, using generator: inout SeededGenerator
  ) throws(MoEConfigurationError) {
    try requireOption(
      k >= 1 && k <= expertCount, "BiasBalancedTopKGate", "k",
      "k = \(k) must lie in 1...\(expertCount) (the number of experts)")
    try requireOption(
      updateRate >= 0 && updateRate.isFinite, "BiasBalancedTopKGate", "updateRate",
      "updateRate must be finite and non-negative, got \(updateRate)")
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    self.k = k
    self.updateRate = updateRate
    selectionBias = Buffer(Tensor.zeros([expertCount]))
  }

  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    let logits = scores(input, router: "BiasBalancedTopKGate")
    // The bias only decides which experts run: selecting on a detached copy keeps it out of the graph.
    let experts = withoutGradients { (logits.detached() + selectionBias.value).topK(k).indices }
    let weights = logits.gather(lastAxis: experts, count: k).softmax(axis: 1)
    return GateDecision(
      logits: logits, probabilities: logits.softmax(axis: 1), choice: .tokenChoice(experts: experts, weights: weights))
  }

  /// Applies b_e <- b_e + gamma * sign(mean load - load_e) once, for the tokens per expert of one
  /// step. Throws when `load` does not have one count per expert.
  public func updateBias(load: [Int]) throws(MoEConfigurationError) {
    if load.count != expertCount {
      throw .inconsistentInput(
        function: "BiasBalancedTopKGate.updateBias",
        message: "\(load.count) load counts for \(expertCount) experts")
    }
    let mean = Float(load.reduce(0, +)) / Float(expertCount)
    let step = updateRate
    selectionBias.value.withMutableScalars { bias in
      for expert in 0..<load.count {
        let gap = mean - Float(load[expert])
        bias[expert] += gap > 0 ? step : (gap < 0 ? -step : 0)
      }
    }
  }

  /// `updateBias(load:)` with the tokens each expert processed in `routing` (this gate's record).
  public func updateBias(from routing: RoutingRecord) throws(MoEConfigurationError) {
    try updateBias(load: routing.tokensPerExpert)
  }
}

extension MixtureOfExperts {
  /// The training step's bias update for every `BiasBalancedTopKGate` in this mixture and in the
  /// mixtures nested in it: each gate moves its bias by the load of its own record in `routing`
  /// (the record of this mixture's forward pass). Call it once after `optimizer.step()`; gates of
  /// other kinds are left alone.
  public func updateSelectionBiases(from routing: RoutingRecord) throws(MoEConfigurationError) {
    if let gate = gate as? BiasBalancedTopKGate { try gate.updateBias(from: routing) }
    for (expert, nested) in zip(experts, routing.nested) {
      guard let nested, let mixture = expert as? MixtureOfExperts else { continue }
      try mixture.updateSelectionBiases(from: nested.record)
    }
  }
}
