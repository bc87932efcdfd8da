import NeuralNetworks

/// The linear scores every router starts from, s = x W^T + b, with W of shape [E, inputSize] and
/// b of shape [E], initialized like PyTorch's `nn.Linear`: both uniform in [-1/sqrt(inputSize),
/// 1/sqrt(inputSize)]. Row e scores expert e, so adding or removing an expert adds or removes a row.
public final class ExpertScoringLayer: Module {
  public private(set) var weight: Tensor
  public private(set) var bias: Tensor

  public var inputSize: Int { weight.shape[1] }
  public var expertCount: Int { weight.shape[0] }

  public init(inputSize: Int, expertCount: Int, using generator: inout SeededGenerator) throws(MoEConfigurationError) {
    try requireOption(inputSize >= 1, "Router", "inputSize", "inputSize must be at least 1, got \(inputSize)")
    try requireOption(expertCount >= 1, "Router", "expertCount", "expertCount must be at least 1, got \(expertCount)")
    let layer = Linear(inputSize, expertCount, bias: true, using: &generator)
    weight = layer.weight
    bias = layer.bias!
  }

  /// s = x W^T + b, [N, E], after checking that x is [N, inputSize]; `router` names the caller in the error.
  public func callAsFunction(_ input: Tensor, router: String) -> Tensor {
    if input.rank != 2 || input.shape[1] != inputSize {
      tensorFailure(
        "\(router): input of shape \(input.shape) does not match inputSize \(inputSize); expected [N, \(inputSize)]")
    }
    return Tensor.affine(input, weight: weight, bias: bias)
  }

  /// Appends one row for a new last expert, its weight and bias drawn from `generator` like
  /// `nn.Linear`'s; the other rows keep their values. W and b become new tensors, so the change
  /// lists the old ones as removed and the new ones as added (for the optimizer).
  public func addRow(using generator: inout SeededGenerator) -> ParameterChange {
    let bound = 1 / Float(inputSize).squareRoot()
    let newWeight = Tensor.uniform([1, inputSize], low: -bound, high: bound, using: &generator)
    let newBias = Tensor.uniform([1], low: -bound, high: bound, using: &generator)
    return replace(
      weight: weight.scalars + newWeight.scalars, bias: bias.scalars + newBias.scalars, expertCount: expertCount + 1)
  }

  /// Removes row `index` (expert `index`); later experts move down by one. Throws when `index` is
  /// outside 0..<expertCount or it is the last row.
  public func removeRow(at index: Int) throws(MoEConfigurationError) -> ParameterChange {
    try requireOption(
      index >= 0 && index < expertCount, "ExpertScoringLayer", "index",
      "expert \(index) is outside 0..<\(expertCount)")
    try requireOption(expertCount >= 2, "ExpertScoringLayer", "index", "cannot remove the only expert")
    var weightScalars = weight.scalars
    weightScalars.removeSubrange((index * inputSize)..<((index + 1) * inputSize))
    var biasScalars = bias.scalars
    biasScalars.remove(at: index)
    return replace(weight: weightScalars, bias: biasScalars, expertCount: expertCount - 1)
  }

  private func replace(weight weightScalars: [Float], bias biasScalars: [Float], expertCount: Int) -> ParameterChange {
    let removed = [weight, bias]
    weight = Tensor(shape: [expertCount, inputSize], scalars: weightScalars, requiresGrad: true)
    bias = Tensor(shape: [expertCount], scalars: biasScalars, requiresGrad: true)
    return ParameterChange(added: [weight, bias], removed: removed)
  }
}

/// Parameters a structural change created and retired, so a caller can tell its optimizer
/// (`optimizer.add(parameters:)` and `optimizer.remove(parameters:)`).
public struct ParameterChange {
  public var added: [Tensor]
  public var removed: [Tensor]

  public init(added: [Tensor] = [], removed: [Tensor] = []) {
    self.added = added
    self.removed = removed
  }

  /// Both changes, this one first. A tensor added by one and removed by the other appears in neither.
  public func followed(by other: ParameterChange) -> ParameterChange {
    let retiredHere = Set(other.removed.map(ObjectIdentifier.init))
    let addedHere = Set(added.map(ObjectIdentifier.init))
    return ParameterChange(
      added: added.filter { !retiredHere.contains(ObjectIdentifier($0)) } + other.added,
      removed: removed + other.removed.filter { !addedHere.contains(ObjectIdentifier($0)) })
  }
}

/// A router whose scores come from an `ExpertScoringLayer`. Its `weight` and `bias` are reported
/// as the router's own parameters (`gate.weight`, `gate.bias`), as when each router kept them itself,
/// so checkpoints keep their names.
public protocol ScoringRouter: Router {
  var scores: ExpertScoringLayer { get }
}

extension ScoringRouter {
  public var weight: Tensor { scores.weight }
  public var bias: Tensor { scores.bias }
  public var inputSize: Int { scores.inputSize }
  public var expertCount: Int { scores.expertCount }

  public var ownParameters: [(name: String, tensor: Tensor)] {
    [("weight", scores.weight), ("bias", scores.bias)] + reflectedParameters
  }

  public var children: [(name: String, module: any Module)] {
    reflectedChildren.filter { $0.module !== scores }
  }
}
