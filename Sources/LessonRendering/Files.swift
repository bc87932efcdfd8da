import Foundation

/// Whole-file reads and atomic writes for the renderer, with errors that name the file.
enum Files {
  static func readText(_ path: String) throws(LessonError) -> String {
    let bytes = try readBytes(path)
    return String(decoding: bytes, as: UTF8.self)
  }

  static func readBytes(_ path: String) throws(LessonError) -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw LessonError.fileAccess(
        path: path, reason: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "no such file")
    }
    return [UInt8](data)
  }

  /// Writes `text` to a temporary file beside `path`, then renames it over `path`: readers see the old
  /// file or the new one, never half of one.
  static func writeAtomically(_ text: String, to path: String) throws(LessonError) {
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw LessonError.fileAccess(path: path, reason: "cannot be written (\(error.localizedDescription))")
    }
  }
}
