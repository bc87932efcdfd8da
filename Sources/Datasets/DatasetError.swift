/// What went wrong while reading a data set or preparing it; `description` names the file (or the
/// option) and the problem in one line.
public enum DatasetError: Error, CustomStringConvertible, Equatable {
  /// The file could not be opened or read (`reason` is the system's message).
  case unreadable(file: String, reason: String)
  /// The gzip stream is truncated, has a bad checksum or is not gzip at all.
  case badCompression(file: String, reason: String)
  /// The contents do not have the expected layout (magic number, sizes, header, counts).
  case badFormat(file: String, reason: String)
  /// One row of a text table is malformed (1-based line number).
  case badRow(file: String, line: Int, reason: String)
  /// A bundled resource is missing from the package's resource bundle.
  case missingResource(name: String)
  /// An argument to a split, batching or transform is out of range.
  case invalidArgument(name: String, reason: String)

  public var description: String {
    switch self {
    case .unreadable(let file, let reason): return "\(file): cannot read: \(reason)"
    case .badCompression(let file, let reason): return "\(file): bad gzip stream: \(reason)"
    case .badFormat(let file, let reason): return "\(file): \(reason)"
    case .badRow(let file, let line, let reason): return "\(file): line \(line): \(reason)"
    case .missingResource(let name): return "bundled data set file \(name) is missing from the package resources"
    case .invalidArgument(let name, let reason): return "\(name): \(reason)"
    }
  }
}
