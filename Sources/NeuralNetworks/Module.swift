@_exported import Tensors

/// A piece of a network that owns parameters and sub-modules, each with a name.
///
/// Names form dotted paths as in PyTorch's `state_dict` (`experts.0.layers.0.weight`), so a
/// checkpoint maps one-to-one onto the equivalent PyTorch model. By default a module's stored
/// properties are found by reflection: a `Tensor` (or `Tensor?`) property is a parameter named
/// after the property, a `Module` (or an array of them) is a child. A module whose names differ
/// from its property names (LSTM's `weight_ih_l0`) overrides `ownParameters`.
public protocol Module: AnyObject {
  /// This module's own parameters, not its children's.
  var ownParameters: [(name: String, tensor: Tensor)] { get }
  /// Direct sub-modules.
  var children: [(name: String, module: any Module)] { get }
  /// Switches training behaviour (dropout) on or off, here and in every sub-module.
  func setTraining(_ training: Bool)
}

/// A module that maps one tensor to one tensor: the building block of `Sequential`.
public protocol Layer: Module {
  func callAsFunction(_ input: Tensor) -> Tensor
}

extension Module {
  public var ownParameters: [(name: String, tensor: Tensor)] {
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

  public var children: [(name: String, module: any Module)] {
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
