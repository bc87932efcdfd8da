import NeuralNetworks

/// Sparse gating: only the k experts with the largest logits run, weighted by a softmax over
/// those k logits alone: G(x) = softmax(topK(x W^T + b, k)), zero for the other experts
/// (Shazeer et al. 2017, without the noise; see `NoisyTopKGate`).
///
/// With k = E this is exactly the dense softmax gate. Parameters: `weight` [E, inputSize], `bias` [E].
public final class TopKGate: ScoringRouter {
  public let scores: ExpertScoringLayer
  public let k: Int

  public init(inputSize: Int, expertCount: Int, k: Int, using generator: inout SeededGenerator)
    throws(MoEConfigurationError)
  {
    try requireOption(
      k >= 1 && k <= expertCount, "TopKGate", "k", "k = \(k) must lie in 1...\(expertCount) (the number of experts)")
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    self.k = k
  }

  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    let logits = scores(input, router: "TopKGate")
    return topKDecision(logits: logits, routingLogits: logits, k: k)
  }
}

/// The top-k decision shared by the plain and the noisy gate: the k largest of `routingLogits`
/// per token, weighted by softmax over those k values. `logits` (the clean ones) define the
/// reported probabilities.
func topKDecision(logits: Tensor, routingLogits: Tensor, k: Int, load: Tensor? = nil) -> GateDecision {
  let (values, experts) = routingLogits.topK(k)
  return GateDecision(
    logits: logits, probabilities: logits.softmax(axis: 1),
    choice: .tokenChoice(experts: experts, weights: values.softmax(axis: 1)), load: load)
}
