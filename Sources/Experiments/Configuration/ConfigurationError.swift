/// A configuration the runner cannot use, named by the key path and what is wrong with it, in one line:
/// `training.epochs: expected a positive integer, got -3`. `moe-experiment` prints it and exits with
/// status 2 before it writes anything.
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
  /// The dotted key path (`model.router`), or the file when the whole document is at fault.
  public let keyPath: String
  public let message: String

  public init(_ keyPath: String, _ message: String) {
    self.keyPath = keyPath
    self.message = message
  }

  public var description: String { "\(keyPath): \(message)" }
}
