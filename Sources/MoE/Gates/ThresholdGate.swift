import NeuralNetworks

/// Conditional computation by a threshold: the softmax gate g(x) = softmax(x W^T + b), but an
/// expert whose weight g_e(x) is below the threshold tau is not evaluated at all for that input:
///
///     y = sum over e with g_e(x) >= tau of w_e(x) E_e(x)
///
/// By default the kept weights are not renormalized, w_e(x) = g_e(x): the output is the dense
/// mixture with its small terms dropped. With `renormalizes`, the kept weights are divided by their
/// sum, w_e(x) = g_e(x) / (sum over kept e' of g_e'(x)), so they add up to 1 again, as top-k's
/// softmax over the chosen scores does (Shazeer et al. 2017); an input that keeps no expert gets
/// output zero either way. tau = 0 evaluates every expert (the dense mixture); tau = 1 evaluates an
/// expert only where it holds all of the weight, which in practice is nowhere. The routing record
/// counts the evaluations skipped. Parameters: `weight` [E, inputSize], `bias` [E].
public final class ThresholdGate: ScoringRouter {
  public let scores: ExpertScoringLayer
  /// tau in [0, 1].
  public var threshold: Float {
    didSet {
      do { try ThresholdGate.check(threshold: threshold) } catch { tensorFailure(error.description) }
    }
  }
  /// Whether the kept weights are divided by their sum (false: the softmax weights as they are).
  public var renormalizes: Bool

  public init(
    inputSize: Int, expertCount: Int, threshold: Float, renormalizes: Bool = false,
    using generator: inout SeededGenerator
  ) throws(MoEConfigurationError) {
    try ThresholdGate.check(threshold: threshold)
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    self.threshold = threshold
    self.renormalizes = renormalizes
  }

  private static func check(threshold: Float) throws(MoEConfigurationError) {
    try requireOption(
      threshold >= 0 && threshold <= 1, "ThresholdGate", "threshold", "threshold must lie in [0, 1], got \(threshold)")
  }

  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    let logits = scores(input, router: "ThresholdGate")
    let probabilities = logits.softmax(axis: 1)
    // A token choice with k = E: slot (n, e) is expert e, kept where g_e(x_n) >= tau.
    let experts = logits.shape[1]
    var chosen: [Int] = []
    var kept: [Float] = []
    probabilities.withScalars { p in
      chosen = p.indices.map { p[$0] >= threshold ? $0 % experts : RoutingChoice.notComputed }
      kept = p.indices.map { p[$0] >= threshold ? 1 : 0 }
    }
    var weights = kept.contains(0) ? probabilities * Tensor(shape: probabilities.shape, scalars: kept) : probabilities
    if renormalizes && kept.contains(0) {
      // A row that keeps nothing has sum 0; adding 1 to its denominator leaves its zeros as they are.
      let tokens = logits.shape[0]
      let emptyRows = (0..<tokens).map { row in kept[(row * experts)..<((row + 1) * experts)].contains(1) ? 0 : 1 }
      let denominators =
        weights.sum(axis: 1, keepDimensions: true)
        + Tensor(shape: [tokens, 1], scalars: emptyRows.map(Float.init))
      weights = weights / denominators
    }
    return GateDecision(
      logits: logits, probabilities: probabilities, choice: .tokenChoice(experts: chosen, weights: weights))
  }
}
