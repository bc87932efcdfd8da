/// Updates parameters from their accumulated gradients.
///
/// State (momentum, Adam's moments) belongs to a parameter's identity, not its position, so a
/// mixture that grows or prunes experts can `add` and `remove` parameters and the ones that stay
/// keep their state. Frozen parameters (`requiresGrad == false`) are kept but skipped: no update,
/// no state change, until they are unfrozen.
public protocol Optimizer: AnyObject {
  /// The parameters it updates, in the order they were given (each tensor once).
  var parameters: [Tensor] { get }
  /// The step size; schedules change it between steps.
  var learningRate: Float { get set }
  /// One update from the current gradients. Parameters without a gradient, or frozen, are left alone.
  func step()
  /// Starts updating these parameters, with fresh state; ones already updated are ignored.
  func add(parameters: [Tensor])
  /// Stops updating these parameters and forgets their state; ones not updated are ignored.
  func remove(parameters: [Tensor])
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

/// The parameters an optimizer updates, each with its state, keyed by the tensor's identity.
///
/// `entries` is an array so that a step walks it without any lookup; the identity index is only
/// used by `add` and `remove`. Holding the tensors keeps their `ObjectIdentifier`s unique.
struct ParameterStates<State: AnyObject> {
  private(set) var entries: [(parameter: Tensor, state: State)] = []
  /// The tensors of `entries`, kept beside them so `zeroGrad()` does not build an array every step.
  private(set) var parameters: [Tensor] = []
  private var indexByIdentity: [ObjectIdentifier: Int] = [:]
  private let makeState: (Tensor) -> State

  init(_ parameters: [Tensor], makeState: @escaping (Tensor) -> State) {
    self.makeState = makeState
    add(parameters)
  }

  /// Appends parameters not yet present (a shared tensor must not be stepped twice).
  mutating func add(_ parameters: [Tensor]) {
    for parameter in parameters where indexByIdentity[ObjectIdentifier(parameter)] == nil {
      indexByIdentity[ObjectIdentifier(parameter)] = entries.count
      entries.append((parameter, makeState(parameter)))
      self.parameters.append(parameter)
    }
  }

  mutating func remove(_ parameters: [Tensor]) {
    let removed = Set(parameters.map(ObjectIdentifier.init))
    entries.removeAll { removed.contains(ObjectIdentifier($0.parameter)) }
    self.parameters = entries.map(\.parameter)
    indexByIdentity = [:]
    for (index, entry) in entries.enumerated() { indexByIdentity[ObjectIdentifier(entry.parameter)] = index }
  }

  /// The state of one parameter, nil when it is not updated.
  func state(of parameter: Tensor) -> State? {
    indexByIdentity[ObjectIdentifier(parameter)].map { entries[$0].state }
  }
}
