#if canImport(Glibc)
  import Glibc
#endif

/// The whole contents of a file, read with stdio so a missing or unreadable file is a thrown error
/// carrying the system's reason rather than a crash.
func readFileBytes(_ path: String) throws -> [UInt8] {
  guard let handle = fopen(path, "rb") else {
    throw DatasetError.unreadable(file: path, reason: systemErrorMessage(errno))
  }
  defer { fclose(handle) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
    if read > 0 { bytes.append(contentsOf: chunk[0..<read]) }
    if read < chunk.count {
      if ferror(handle) != 0 { throw DatasetError.unreadable(file: path, reason: systemErrorMessage(errno)) }
      return bytes
    }
  }
}

func systemErrorMessage(_ code: Int32) -> String {
  guard let message = strerror(code) else { return "error \(code)" }
  return String(cString: message)
}
