#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file that could not be read or written, with the operating system's reason:
/// "cannot write Figures/report.json: Permission denied".
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
  public let path: String
  public let reason: String
  public let isWrite: Bool

  public init(path: String, reason: String, isWrite: Bool) {
    self.path = path
    self.reason = reason
    self.isWrite = isWrite
  }

  public var description: String { "cannot \(isWrite ? "write" : "read") \(path): \(reason)" }
}

/// Whole-file reads and atomic writes, without Foundation.
public enum AtomicFile {
  /// All bytes of the file at `path`.
  public static func readBytes(_ path: String) throws(FileError) -> [UInt8] {
    func failure(_ reason: String) -> FileError { FileError(path: path, reason: reason, isWrite: false) }
    let descriptor = open(path, O_RDONLY)
    if descriptor < 0 { throw failure(SystemError.lastErrorDescription()) }
    defer { close(descriptor) }
    var status = stat()
    if fstat(descriptor, &status) != 0 { throw failure(SystemError.lastErrorDescription()) }
    if (status.st_mode & S_IFMT) == S_IFDIR { throw failure("it is a directory") }
    var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
    var offset = 0
    while offset < bytes.count {
      let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if got < 0 { throw failure(SystemError.lastErrorDescription()) }
      if got == 0 { break }
      offset += got
    }
    if offset != bytes.count { bytes.removeLast(bytes.count - offset) }
    return bytes
  }

  /// The text (UTF-8) of the file at `path`; invalid bytes read as U+FFFD.
  public static func readText(_ path: String) throws(FileError) -> String {
    String(decoding: try readBytes(path), as: UTF8.self)
  }

  /// Writes `bytes` to `path` atomically: into a temporary file in the same folder (so the rename cannot
  /// cross file systems), flushed to disk, then renamed over the target. A crash leaves either the old file
  /// or the new one, never half of one. Missing parent folders are created first, as `mkdir -p`, unless
  /// `creatingFolders` is false, when a missing folder is an error.
  public static func write(_ bytes: [UInt8], to path: String, creatingFolders: Bool = true) throws(FileError) {
    func failure(_ reason: String) -> FileError { FileError(path: path, reason: reason, isWrite: true) }
    guard !path.isEmpty else { throw failure("the path is empty") }
    if creatingFolders { try createFolders(folder(of: path), failure: failure) }
    let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
    let temporary = String(path[..<slash]) + "." + String(path[slash...]) + ".tmp-\(getpid())"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    if descriptor < 0 { throw failure(SystemError.lastErrorDescription()) }
    var offset = 0
    while offset < bytes.count {
      let written = bytes.withUnsafeBytes { writeSome(descriptor, $0.baseAddress! + offset, $0.count - offset) }
      if written <= 0 {
        let reason = SystemError.lastErrorDescription()
        close(descriptor)
        unlink(temporary)
        throw failure(reason)
      }
      offset += written
    }
    if fsync(descriptor) != 0 || close(descriptor) != 0 {
      let reason = SystemError.lastErrorDescription()
      unlink(temporary)
      throw failure(reason)
    }
    if rename(temporary, path) != 0 {
      let reason = SystemError.lastErrorDescription()
      unlink(temporary)
      throw failure(reason)
    }
  }

  /// Writes `text` (UTF-8) atomically, creating missing parent folders (see the bytes overload).
  public static func write(_ text: String, to path: String, creatingFolders: Bool = true) throws(FileError) {
    try write(Array(text.utf8), to: path, creatingFolders: creatingFolders)
  }

  /// The folder part of a path: "a/b.png" gives "a", "b.png" gives ".", "/b.png" gives "/".
  public static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
  }

  /// `mkdir -p`: every missing component of `path`, in order; an existing folder is fine, an existing
  /// file in the way is an error naming it.
  public static func createFolders(_ path: String) throws(FileError) {
    try createFolders(path) { FileError(path: path, reason: $0, isWrite: true) }
  }

  static func createFolders(_ path: String, failure: (String) -> FileError) throws(FileError) {
    var prefix = path.hasPrefix("/") ? "/" : ""
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      prefix += component
      if mkdir(prefix, 0o755) != 0 {
        let code = errno
        var status = stat()
        if code == EEXIST, stat(prefix, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
          prefix += "/"
          continue
        }
        if code == EEXIST { throw failure("'\(prefix)' exists and is not a folder") }
        throw failure(SystemError.describe(code))
      }
      prefix += "/"
    }
  }
}

/// The C library's write(2), under a name the `AtomicFile.write` methods do not shadow.
private func writeSome(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
  write(descriptor, buffer, count)
}
