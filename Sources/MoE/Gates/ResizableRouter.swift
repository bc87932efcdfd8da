import NeuralNetworks

/// A router that can gain or lose an expert after construction (growing a mixture during
/// training). The scoring layer gains or loses row e; the other experts' rows keep their values.
public protocol ResizableRouter: ScoringRouter {
  /// The fewest experts the router works with (k for top-k, 2 for GShard).
  var minimumExpertCount: Int { get }
  /// Adds a last expert, its scoring row drawn from `generator` like `nn.Linear`'s.
  func addExpert(using generator: inout SeededGenerator) throws(MoEConfigurationError) -> ParameterChange
  /// Removes expert `index`; later experts move down by one.
  func removeExpert(at index: Int) throws(MoEConfigurationError) -> ParameterChange
}

extension ResizableRouter {
  public var minimumExpertCount: Int { 1 }

  public func addExpert(using generator: inout SeededGenerator) throws(MoEConfigurationError) -> ParameterChange {
    scores.addRow(using: &generator)
  }

  public func removeExpert(at index: Int) throws(MoEConfigurationError) -> ParameterChange {
    try requireMoreThanMinimum()
    return try scores.removeRow(at: index)
  }

  func requireMoreThanMinimum() throws(MoEConfigurationError) {
    try requireOption(
      expertCount > minimumExpertCount, "\(Self.self)", "expertCount",
      "cannot go below \(minimumExpertCount) experts, has \(expertCount)")
  }
}

extension SoftmaxGate: ResizableRouter {}
extension SwitchRouter: ResizableRouter {}
extension ExpertChoiceRouter: ResizableRouter {}
extension ThresholdGate: ResizableRouter {}

extension TopKGate: ResizableRouter {
  public var minimumExpertCount: Int { k }
}

extension GShardRouter: ResizableRouter {
  public var minimumExpertCount: Int { 2 }
}

extension NoisyTopKGate: ResizableRouter {
  public var minimumExpertCount: Int { k }

  /// Also adds a zero row to `noiseWeight`, as a new gate starts (noise scale softplus(0)).
  public func addExpert(using generator: inout SeededGenerator) throws(MoEConfigurationError) -> ParameterChange {
    let change = scores.addRow(using: &generator)
    return change.followed(by: replaceNoiseWeight(noiseWeight.scalars + [Float](repeating: 0, count: inputSize)))
  }

  public func removeExpert(at index: Int) throws(MoEConfigurationError) -> ParameterChange {
    try requireMoreThanMinimum()
    let change = try scores.removeRow(at: index)
    var scalars = noiseWeight.scalars
    scalars.removeSubrange((index * inputSize)..<((index + 1) * inputSize))
    return change.followed(by: replaceNoiseWeight(scalars))
  }
}
