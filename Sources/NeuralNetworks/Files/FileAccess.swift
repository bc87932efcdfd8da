#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file that could not be read or written, with the operating system's reason.
public struct FileAccessError: Error, CustomStringConvertible, Equatable {
  public let path: String
  public let reason: String
  public let isWrite: Bool
  public var description: String { "cannot \(isWrite ? "write" : "read") \(path): \(reason)" }
}

/// Whole-file reads and atomic writes, without Foundation.
public enum FileAccess {
  /// The text of the C library's last error (errno).
  static func systemErrorDescription() -> String { String(cString: strerror(errno)) }

  /// All bytes of the file at `path`.
  public static func readBytes(_ path: String) throws(FileAccessError) -> [UInt8] {
    func failure(_ reason: String) -> FileAccessError { FileAccessError(path: path, reason: reason, isWrite: false) }
    let descriptor = open(path, O_RDONLY)
    if descriptor < 0 { throw failure(systemErrorDescription()) }
    defer { close(descriptor) }
    var status = stat()
    if fstat(descriptor, &status) != 0 { throw failure(systemErrorDescription()) }
    if (status.st_mode & S_IFMT) == S_IFDIR { throw failure("it is a directory") }
    var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
    var offset = 0
    while offset < bytes.count {
      let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if got < 0 { throw failure(systemErrorDescription()) }
      if got == 0 { break }
      offset += got
    }
    if offset != bytes.count { bytes.removeLast(bytes.count - offset) }
    return bytes
  }

  /// Writes `bytes` to `path` atomically: into a temporary file in the same folder, flushed to disk,
  /// then renamed over the target. A crash leaves either the old file or the new one, never half of one.
  public static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileAccessError) {
    func failure(_ reason: String) -> FileAccessError { FileAccessError(path: path, reason: reason, isWrite: true) }
    let temporary = "\(path).tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if descriptor < 0 { throw failure(systemErrorDescription()) }
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if written <= 0 {
        let reason = systemErrorDescription()
        close(descriptor)
        unlink(temporary)
        throw failure(reason)
      }
      offset += written
    }
    if fsync(descriptor) != 0 || close(descriptor) != 0 {
      let reason = systemErrorDescription()
      unlink(temporary)
      throw failure(reason)
    }
    if rename(temporary, path) != 0 {
      let reason = systemErrorDescription()
      unlink(temporary)
      throw failure(reason)
    }
  }

  /// Writes text (UTF-8) atomically.
  public static func writeAtomically(_ text: String, to path: String) throws(FileAccessError) {
    try writeAtomically(Array(text.utf8), to: path)
  }
}
