import NeuralNetworks

/// The Switch Transformer router (Fedus, Zoph and Shazeer, 2021): each token goes to its one most
/// probable expert, p = softmax(x W^T + b), and the expert's output is scaled by p_e(x).
///
/// Each expert takes at most capacity = ceil(capacityFactor * N / E) tokens of a batch of N, served
/// in the order of `capacityPriority` (token order by default). Tokens beyond it are dropped: the mixture outputs zero for them (inside a
/// residual block, x + MoE(x), a dropped token passes through unchanged), and the routing record
/// counts them. Parameters: `weight` [E, inputSize], `bias` [E].
public final class SwitchRouter: ScoringRouter {
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
    try requirePositiveCapacityFactor(capacityFactor, "SwitchRouter")
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    self.capacityFactor = capacityFactor
    self.capacityPriority = capacityPriority
  }

  /// The most tokens one expert takes from a batch of `tokens`.
  public func capacity(tokens: Int) -> Int {
    expertCapacity(factor: capacityFactor, tokens: tokens, choicesPerToken: 1, experts: expertCount)
  }

  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    let logits = scores(input, router: "SwitchRouter")
    let probabilities = logits.softmax(axis: 1)
    let (top, experts) = probabilities.topK(1)
    let (choice, dropped) = RoutingChoice.tokenChoice(experts: experts, weights: top).limited(
      toCapacity: capacity(tokens: logits.shape[0]), expertCount: expertCount, priority: capacityPriority,
      probabilities: probabilities)
    return GateDecision(
      logits: logits, probabilities: probabilities, choice: choice, droppedAssignments: dropped)
  }
}
