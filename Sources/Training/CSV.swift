import NeuralNetworks
import Support

/// Comma-separated values as RFC 4180 writes them: a field holding a comma, a quote or a line break
/// is quoted, with its quotes doubled.
enum CSV {
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }

  /// Numbers in their shortest form that reads back to the same value (Swift's `description`).
  static func number(_ value: Double) -> String { "\(value)" }
  static func number(_ value: Float) -> String { "\(value)" }

  /// Writes the text atomically (temporary file, then rename), creating missing folders.
  static func write(_ text: String, to path: String) throws(TrainingError) {
    do {
      try AtomicFile.write(text, to: path)
    } catch {
      throw .cannotWrite(path: path, reason: error.reason)
    }
  }
}

extension String {
  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}
