/// Updates parameters from their accumulated gradients.
public protocol Optimizer: AnyObject {
  /// The parameters it updates, fixed at creation.
  var parameters: [Tensor] { get }
  /// The step size; schedules change it between steps.
  var learningRate: Float { get set }
  /// One update from the current gradients. Parameters without a gradient are left alone.
  func step()
}

extension Optimizer {
  /// Clears every parameter's gradient (PyTorch's `zero_grad(set_to_none=True)`).
  public func zeroGrad() {
    for parameter in parameters { parameter.zeroGrad() }
  }
}

/// Checks hyperparameters once, at construction, with a message naming the bad one.
func requireHyperparameter(_ condition: Bool, _ optimizer: String, _ name: String, _ value: Float, _ rule: String) {
  if !condition { tensorFailure("\(optimizer): \(name) = \(value) \(rule)") }
}

/// Parameters that need updating, de-duplicated (a shared tensor must not be stepped twice).
func uniqueTrainable(_ parameters: [Tensor]) -> [Tensor] {
  var seen = Set<ObjectIdentifier>()
  return parameters.filter { $0.requiresGrad && seen.insert(ObjectIdentifier($0)).inserted }
}
