@_exported import Tensors

/// A piece of a network that owns parameters and sub-modules, each with a name.
///
/// Names form dotted paths as in PyTorch's `state_dict` (`experts.0.layers.0.weight`), so a
/// checkpoint maps one-to-one onto the equivalent PyTorch model. By default a module's stored
/// properties are found by reflection: a `Tensor` (or `Tensor?`) property is a parameter named
/// after the property, a `Buffer` (or an array of them) is a buffer (state that is saved but not
/// trained), a `Module` (or an array of them) is a child. A module whose names differ from its
/// property names (LSTM's `weight_ih_l0`) overrides `ownParameters`.
///
/// Freezing is PyTorch's `requires_grad_(False)`: a frozen parameter is a tensor with
/// `requiresGrad == false`, so no op records a gradient for it and optimizers skip it.
public protocol Module: AnyObject {
  /// This module's own parameters, not its children's.
  var ownParameters: [(name: String, tensor: Tensor)] { get }
  /// This module's own buffers, not its children's.
  var ownBuffers: [(name: String, buffer: Buffer)] { get }
  /// Direct sub-modules.
  var children: [(name: String, module: any Module)] { get }
  /// Switches training behaviour (dropout) on or off, here and in every sub-module.
  func setTraining(_ training: Bool)
  /// Whether the module behaves as in training. A module with a mode of its own (dropout, a noisy
  /// gate) reports it; the default is true when any sub-module is training (false without any).
  var isTraining: Bool { get }
}

/// A module that maps one tensor to one tensor: the building block of `Sequential`.
public protocol Layer: Module {
  func callAsFunction(_ input: Tensor) -> Tensor
}

extension Module {
  public var ownParameters: [(name: String, tensor: Tensor)] { reflectedParameters }

  /// The stored `Tensor` (and `[Tensor]`) properties, named after them: the default `ownParameters`,
  /// for a module that adds names of its own to it.
  public var reflectedParameters: [(name: String, tensor: Tensor)] {
    var found: [(name: String, tensor: Tensor)] = []
    for child in Mirror(reflecting: self).children {
      guard let label = child.label else { continue }
      if let tensor = child.value as? Tensor {
        found.append((label, tensor))
      } else if let tensors = child.value as? [Tensor] {
        for (index, tensor) in tensors.enumerated() { found.append(("\(label).\(index)", tensor)) }
      }
    }
    return found
  }

  public var ownBuffers: [(name: String, buffer: Buffer)] {
    var found: [(name: String, buffer: Buffer)] = []
    for child in Mirror(reflecting: self).children {
      guard let label = child.label else { continue }
      if let buffer = child.value as? Buffer {
        found.append((label, buffer))
      } else if let buffers = child.value as? [Buffer] {
        for (index, buffer) in buffers.enumerated() { found.append(("\(label).\(index)", buffer)) }
      }
    }
    return found
  }

  public var children: [(name: String, module: any Module)] { reflectedChildren }

  /// The stored `Module` (and `[Module]`) properties, named after them: the default `children`, for a
  /// module that leaves one out.
  public var reflectedChildren: [(name: String, module: any Module)] {
    var found: [(name: String, module: any Module)] = []
    for child in Mirror(reflecting: self).children {
      guard let label = child.label else { continue }
      if let module = child.value as? any Module {
        found.append((label, module))
      } else if let modules = child.value as? [any Module] {
        for (index, module) in modules.enumerated() { found.append(("\(label).\(index)", module)) }
      }
    }
    return found
  }

  public func setTraining(_ training: Bool) {
    for child in children { child.module.setTraining(training) }
  }

  public var isTraining: Bool { children.contains { $0.module.isTraining } }

  /// Every parameter of this module and its sub-modules, by dotted path, in declaration order.
  public var namedParameters: [(name: String, tensor: Tensor)] {
    var all = ownParameters
    for (childName, child) in children {
      for (name, tensor) in child.namedParameters { all.append(("\(childName).\(name)", tensor)) }
    }
    return all
  }

  /// Every parameter, in the order of `namedParameters`.
  public var parameters: [Tensor] { namedParameters.map(\.tensor) }

  /// Every buffer of this module and its sub-modules, by dotted path, in declaration order.
  public var namedBuffers: [(name: String, buffer: Buffer)] {
    var all = ownBuffers
    for (childName, child) in children {
      for (name, buffer) in child.namedBuffers { all.append(("\(childName).\(name)", buffer)) }
    }
    return all
  }

  /// The parameters that are not frozen (`requiresGrad`), in the order of `namedParameters`.
  public var trainableParameters: [Tensor] { parameters.filter(\.requiresGrad) }

  /// Stops training every parameter here and in every sub-module: they get no gradient (any
  /// accumulated one is cleared) and optimizers leave them unchanged until `unfreeze()`.
  public func freeze() {
    for parameter in parameters {
      parameter.requiresGrad = false
      parameter.zeroGrad()
    }
  }

  /// Trains every parameter here and in every sub-module again.
  public func unfreeze() {
    for parameter in parameters { parameter.requiresGrad = true }
  }

  /// True when no parameter here or below is trainable (so also for a module without parameters).
  public var isFrozen: Bool { parameters.allSatisfy { !$0.requiresGrad } }

  /// Total number of scalars in the parameters.
  public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

  /// Training mode: dropout is active.
  public func train() { setTraining(true) }
  /// Evaluation mode: dropout passes its input through.
  public func eval() { setTraining(false) }

  /// Clears the accumulated gradients of every parameter.
  public func zeroGrad() {
    for parameter in parameters { parameter.zeroGrad() }
  }
}
