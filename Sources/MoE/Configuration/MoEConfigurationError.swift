/// A router, mixture or metric was given options or inputs it cannot work with. The description is
/// one line naming the component, the option and what was wrong.
public enum MoEConfigurationError: Error, CustomStringConvertible, Equatable {
  /// An option outside its range, e.g. `SwitchRouter: capacityFactor must be positive, got 0.0`.
  case invalidOption(component: String, option: String, message: String)
  /// A router the registry does not know, with the names it does know.
  case unknownRouter(name: String, known: [String])
  /// A router that needs an option the caller did not give.
  case missingOption(router: String, option: String)
  /// Inputs that disagree with each other, e.g. labels and experts of different lengths.
  case inconsistentInput(function: String, message: String)
  /// A computation the routing record cannot support, e.g. a load loss without a load estimate.
  case unsupported(function: String, message: String)

  public var description: String {
    switch self {
    case .invalidOption(let component, _, let message): return "\(component): \(message)"
    case .unknownRouter(let name, let known):
      return "RouterRegistry: unknown router \"\(name)\"; known routers: \(known.joined(separator: ", "))"
    case .missingOption(let router, let option):
      return "RouterRegistry: router \"\(router)\" needs the option \(option)"
    case .inconsistentInput(let function, let message): return "\(function): \(message)"
    case .unsupported(let function, let message): return "\(function): \(message)"
    }
  }
}

/// Throws `invalidOption` naming the component and the option when `condition` is false.
func requireOption(
  _ condition: Bool, _ component: String, _ option: String, _ message: @autoclosure () -> String
) throws(MoEConfigurationError) {
  if !condition { throw .invalidOption(component: component, option: option, message: message()) }
}

/// Capacity factors scale a batch's share of tokens per expert, so they must be positive and finite.
func requirePositiveCapacityFactor(_ capacityFactor: Float, _ component: String) throws(MoEConfigurationError) {
  try requireOption(
    capacityFactor > 0 && capacityFactor.isFinite, component, "capacityFactor",
    "capacityFactor must be positive, got \(capacityFactor)")
}
