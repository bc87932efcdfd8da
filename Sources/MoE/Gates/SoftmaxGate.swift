import NeuralNetworks

/// The gate of the adaptive mixtures of local experts (Jacobs, Jordan, Nowlan and Hinton, 1991):
/// g(x) = softmax((x W^T + b) / T). Every expert gets every input, weighted by g.
///
/// The temperature T > 0 sets how decisive the gate is: T -> 0 approaches a hard arg-max choice,
/// large T approaches the uniform 1/E. Parameters: `weight` [E, inputSize], `bias` [E].
public final class SoftmaxGate: ScoringRouter {
  public let scores: ExpertScoringLayer
  /// T in softmax(s / T); must be positive (setting another value stops with the same message the
  /// initializer throws).
  public var temperature: Float {
    didSet {
      do { try SoftmaxGate.check(temperature: temperature) } catch { tensorFailure(error.description) }
    }
  }

  public init(inputSize: Int, expertCount: Int, temperature: Float = 1, using generator: inout SeededGenerator)
    throws(MoEConfigurationError)
  {
    try requireOption(
      expertCount >= 1, "SoftmaxGate", "expertCount", "expertCount must be at least 1, got \(expertCount)")
    try SoftmaxGate.check(temperature: temperature)
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    self.temperature = temperature
  }

  private static func check(temperature: Float) throws(MoEConfigurationError) {
    try requireOption(
      temperature > 0 && temperature.isFinite, "SoftmaxGate", "temperature",
      "temperature must be positive, got \(temperature)")
  }

  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    var logits = scores(input, router: "SoftmaxGate")
    if temperature != 1 { logits = logits / temperature }
    let probabilities = logits.softmax(axis: 1)
    return GateDecision(logits: logits, probabilities: probabilities, denseWeights: probabilities)
  }
}
