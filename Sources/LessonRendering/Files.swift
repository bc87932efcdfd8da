import Support

/// Whole-file reads and atomic writes for the renderer, with errors that name the file; the work is
/// `Support.AtomicFile`'s.
enum Files {
  static func readText(_ path: String) throws(LessonError) -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
  }

  static func readBytes(_ path: String) throws(LessonError) -> [UInt8] {
    do {
      return try AtomicFile.readBytes(path)
    } catch {
      throw LessonError.fileAccess(path: path, reason: "cannot be read (\(error.reason))")
    }
  }

  /// Writes `text` to a temporary file beside `path`, then renames it over `path`: readers see the old
  /// file or the new one, never half of one. Missing parent folders are created.
  static func writeAtomically(_ text: String, to path: String) throws(LessonError) {
    do {
      try AtomicFile.write(text, to: path)
    } catch {
      throw LessonError.fileAccess(path: path, reason: "cannot be written (\(error.reason))")
    }
  }

  /// Writes `bytes` atomically, as `writeAtomically(_:to:)` writes text.
  static func writeAtomically(_ bytes: [UInt8], to path: String) throws(LessonError) {
    do {
      try AtomicFile.write(bytes, to: path)
    } catch {
      throw LessonError.fileAccess(path: path, reason: "cannot be written (\(error.reason))")
    }
  }
}
