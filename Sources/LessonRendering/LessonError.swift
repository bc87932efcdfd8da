/// Everything that stops the renderer, each with a one-line message that says what to do.
public enum LessonError: Error, CustomStringConvertible, Equatable, Sendable {
  /// No chapter folder matches what was asked for.
  case chapterNotFound(String)
  /// A file could not be read or written.
  case fileAccess(path: String, reason: String)
  /// The chapter's binary is missing, could not start, or failed.
  case runFailed(String)
  /// The captured output does not match the source's cells.
  case cellMismatch(String)

  /// The message, without the `error: ` prefix.
  public var description: String {
    switch self {
    case .chapterNotFound(let message), .runFailed(let message), .cellMismatch(let message):
      return message
    case .fileAccess(let path, let reason):
      return "\(path): \(reason)"
    }
  }
}
