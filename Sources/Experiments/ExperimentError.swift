/// What stops a run, other than its configuration (`ConfigurationError`): one line naming the file or
/// folder and the reason.
public enum ExperimentError: Error, CustomStringConvertible, Equatable {
  case runFolderExists(path: String)
  case notARunFolder(path: String, missing: String)
  case cannotWrite(path: String, reason: String)
  case cannotRead(path: String, reason: String)
  case corruptEventFile(path: String, offset: Int)
  case alreadyFinished(path: String, epochs: Int)
  case unsupportedExport(format: String, known: [String])
  /// The run's model is one the export format does not cover (nothing is written).
  case notExportable(format: String, reason: String)

  public var description: String {
    switch self {
    case .runFolderExists(let path):
      return "\(path) already holds a run; choose another --name, or pass --overwrite to replace it"
    case .notARunFolder(let path, let missing):
      return "\(path) is not a run folder of moe-experiment: it has no \(missing)"
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    case .cannotRead(let path, let reason): return "cannot read \(path): \(reason)"
    case .corruptEventFile(let path, let offset): return "\(path): damaged event record at byte \(offset)"
    case .alreadyFinished(let path, let epochs):
      return "\(path) finished all \(epochs) epochs; nothing to resume (raise training.epochs in a new run)"
    case .unsupportedExport(let format, let known):
      return "export: --format: unknown format '\(format)'; known: \(known.joined(separator: ", "))"
    case .notExportable(let format, let reason): return "export --format \(format): \(reason)"
    }
  }
}
