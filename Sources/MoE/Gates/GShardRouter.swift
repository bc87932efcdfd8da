import NeuralNetworks

/// GShard's top-2 router (Lepikhin et al. 2020): p = softmax(x W^T + b); each token goes to its two
/// most probable experts e1, e2 with weights renormalized over the pair,
/// w1 = p_e1 / (p_e1 + p_e2), w2 = p_e2 / (p_e1 + p_e2).
///
/// Each expert takes at most capacity = ceil(capacityFactor * 2N / E) assignments of a batch of N.
/// First choices are served before second choices, each in the order of `capacityPriority` (token
/// order by default); what does not fit is
/// dropped and counted. (GShard also sends the second choice only with probability 2 w2; this
/// router always sends it, which keeps runs deterministic.) Parameters: `weight` [E, inputSize], `bias` [E].
public final class GShardRouter: ScoringRouter {
  public let scores: ExpertScoringLayer
  public let capacityFactor: Float
  /// Which tokens an expert serves first when more choose it than it can take.
  public let capacityPriority: CapacityPriority

  public init(
    inputSize: Int, expertCount: Int, capacityFactor: Float, capacityPriority: CapacityPriority = .position,
    using generator: inout SeededGenerator
  )
    throws(MoEConfigurationError)
  {
    try requireOption(
      expertCount >= 2, "GShardRouter", "expertCount", "expertCount must be at least 2, got \(expertCount)")
    try requirePositiveCapacityFactor(capacityFactor, "GShardRouter")
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    self.capacityFactor = capacityFactor
    self.capacityPriority = capacityPriority
  }

  /// The most assignments one expert takes from a batch of `tokens`.
  public func capacity(tokens: Int) -> Int {
    expertCapacity(factor: capacityFactor, tokens: tokens, choicesPerToken: 2, experts: expertCount)
  }

  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    let logits = scores(input, router: "GShardRouter")
    let probabilities = logits.softmax(axis: 1)
    let (top, experts) = probabilities.topK(2)
    let weights = top / top.sum(axis: 1, keepDimensions: true)
    let (choice, dropped) = RoutingChoice.tokenChoice(experts: experts, weights: weights).limited(
      toCapacity: capacity(tokens: logits.shape[0]), expertCount: expertCount, priority: capacityPriority,
      probabilities: probabilities)
    return GateDecision(
      logits: logits, probabilities: probabilities, choice: choice, droppedAssignments: dropped)
  }
}
