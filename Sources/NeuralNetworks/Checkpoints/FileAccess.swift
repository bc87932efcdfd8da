#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The text of the C library's last error (errno), for messages.
func systemErrorDescription() -> String { String(cString: strerror(errno)) }

/// All bytes of the file at `path`.
func readFileBytes(_ path: String) throws(CheckpointError) -> [UInt8] {
  let descriptor = open(path, O_RDONLY)
  if descriptor < 0 { throw .cannotRead(path: path, reason: systemErrorDescription()) }
  defer { close(descriptor) }
  var status = stat()
  if fstat(descriptor, &status) != 0 { throw .cannotRead(path: path, reason: systemErrorDescription()) }
  if (status.st_mode & S_IFMT) == S_IFDIR { throw .cannotRead(path: path, reason: "it is a directory") }
  var bytes = [UInt8](repeating: 0, count: Int(status.st_size))
  var offset = 0
  while offset < bytes.count {
    let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress! + offset, $0.count - offset) }
    if got < 0 { throw .cannotRead(path: path, reason: systemErrorDescription()) }
    if got == 0 { break }
    offset += got
  }
  if offset != bytes.count { bytes.removeLast(bytes.count - offset) }
  return bytes
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same folder, flushed to disk,
/// then renamed over the target. A crash leaves either the old file or the new one, never half of one.
func writeFileAtomically(_ bytes: [UInt8], to path: String) throws(CheckpointError) {
  let temporary = "\(path).tmp-\(getpid())"
  let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  if descriptor < 0 { throw .cannotWrite(path: path, reason: systemErrorDescription()) }
  var offset = 0
  while offset < bytes.count {
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
    if written <= 0 {
      let reason = systemErrorDescription()
      close(descriptor)
      unlink(temporary)
      throw .cannotWrite(path: path, reason: reason)
    }
    offset += written
  }
  if fsync(descriptor) != 0 || close(descriptor) != 0 {
    let reason = systemErrorDescription()
    unlink(temporary)
    throw .cannotWrite(path: path, reason: reason)
  }
  if rename(temporary, path) != 0 {
    let reason = systemErrorDescription()
    unlink(temporary)
    throw .cannotWrite(path: path, reason: reason)
  }
}
