import Support

/// A file that could not be read or written, with the operating system's reason.
public struct FileAccessError: Error, CustomStringConvertible, Equatable {
  public let path: String
  public let reason: String
  public let isWrite: Bool
  public var description: String { "cannot \(isWrite ? "write" : "read") \(path): \(reason)" }

  init(_ error: FileError) {
    path = error.path
    reason = error.reason
    isWrite = error.isWrite
  }
}

/// Whole-file reads and atomic writes for checkpoints; the work is `Support.AtomicFile`'s.
public enum FileAccess {
  /// All bytes of the file at `path`.
  public static func readBytes(_ path: String) throws(FileAccessError) -> [UInt8] {
    do { return try AtomicFile.readBytes(path) } catch { throw FileAccessError(error) }
  }

  /// Writes `bytes` to `path` atomically (temporary file, flush, rename): a crash leaves either the old
  /// file or the new one, never half of one. A missing folder is an error here, so that a mistyped
  /// checkpoint path fails instead of saving somewhere unexpected.
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileAccessError) {
    do { try AtomicFile.write(bytes, to: path, creatingFolders: false) } catch { throw FileAccessError(error) }
  }

  /// Writes text (UTF-8) atomically.
  public static func writeAtomically(_ text: String, to path: String) throws(FileAccessError) {
    try writeAtomically(Array(text.utf8), to: path)
  }
}
