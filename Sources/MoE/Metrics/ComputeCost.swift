import NeuralNetworks

/// What a mixture's forward pass cost on one batch, counted from its routing record:
///
///     multiply-adds = N * gateMultiplyAdds + expertEvaluations * expertMultiplyAdds
///
/// with N the batch's inputs and expertEvaluations the (input, expert) pairs the experts actually
/// ran on (N E for dense dispatch, N k for top-k with sparse dispatch; Shazeer et al. 2017 call the
/// saving conditional computation). Only the matrix products are counted: biases, activations,
/// softmax, gather and scatter are linear in N and small beside them.
public struct ComputeCost: Sendable, Equatable {
  public let inputs: Int
  public let expertEvaluations: Int
  public let multiplyAdds: Int

  /// The cost of the pass that produced `routing`, for a gate and experts of the given per-input
  /// multiply-adds (`ExpertScoringLayer.multiplyAddsPerInput`, `FeedForwardExpert.multiplyAddsPerInput`).
  /// Throws when a count is negative.
  public init(routing: RoutingRecord, gateMultiplyAdds: Int, expertMultiplyAdds: Int) throws(MoEConfigurationError) {
    try requireOption(
      gateMultiplyAdds >= 0, "ComputeCost", "gateMultiplyAdds", "gateMultiplyAdds must be >= 0, got \(gateMultiplyAdds)"
    )
    try requireOption(
      expertMultiplyAdds >= 0, "ComputeCost", "expertMultiplyAdds",
      "expertMultiplyAdds must be >= 0, got \(expertMultiplyAdds)")
    inputs = routing.tokenCount
    expertEvaluations = routing.expertEvaluations
    multiplyAdds = inputs * gateMultiplyAdds + expertEvaluations * expertMultiplyAdds
  }

  /// expertEvaluations / N: E for dense dispatch, k for top-k with sparse dispatch.
  public var expertEvaluationsPerInput: Double { inputs == 0 ? 0 : Double(expertEvaluations) / Double(inputs) }
  /// multiplyAdds / N.
  public var multiplyAddsPerInput: Double { inputs == 0 ? 0 : Double(multiplyAdds) / Double(inputs) }
}

extension FeedForwardExpert {
  /// Multiply-adds of one input through both layers: inputSize * hiddenSize + hiddenSize * outputSize.
  public var multiplyAddsPerInput: Int { inputSize * hiddenSize + hiddenSize * outputSize }
}

extension ExpertScoringLayer {
  /// Multiply-adds of one input's scores s = x W^T + b: inputSize * expertCount.
  public var multiplyAddsPerInput: Int { inputSize * expertCount }
}
