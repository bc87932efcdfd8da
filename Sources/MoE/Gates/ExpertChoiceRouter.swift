import NeuralNetworks

/// Expert-choice routing (Zhou et al. 2022): instead of tokens choosing experts, each expert
/// chooses its C highest-scoring tokens, with S = softmax(x W^T + b) over experts and
/// C = ceil(capacityFactor * N / E). Expert e's output for token n is scaled by S[n, e].
///
/// Every expert processes exactly C tokens (perfect balance by construction), while a token may be
/// taken by several experts or by none; the record lists the tokens no expert chose.
/// Parameters: `weight` [E, inputSize], `bias` [E].
public final class ExpertChoiceRouter: ScoringRouter {
  public let scores: ExpertScoringLayer
  /// Average number of experts per token; C = ceil(capacityFactor * N / E), at most N.
  public let capacityFactor: Float

  public init(inputSize: Int, expertCount: Int, capacityFactor: Float, using generator: inout SeededGenerator)
    throws(MoEConfigurationError)
  {
    try requirePositiveCapacityFactor(capacityFactor, "ExpertChoiceRouter")
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    self.capacityFactor = capacityFactor
  }

  /// Tokens each expert takes from a batch of `tokens`.
  public func capacity(tokens: Int) -> Int {
    min(tokens, expertCapacity(factor: capacityFactor, tokens: tokens, choicesPerToken: 1, experts: expertCount))
  }

  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    let logits = scores(input, router: "ExpertChoiceRouter")
    let probabilities = logits.softmax(axis: 1)
    let (scores, chosen) = probabilities.transposed().topK(capacity(tokens: logits.shape[0]))  // [E, C]
    return GateDecision(
      logits: logits, probabilities: probabilities, choice: .expertChoice(tokens: chosen, weights: scores))
  }
}
