#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Stops the program on a programming error (mismatched shapes, an axis out of range), with one
/// clear line naming the op and what was wrong, as PyTorch's exceptions do.
///
/// The message goes to standard error as `error: <message>` and the process exits with status 1:
/// a misuse of the engine is a bug in the calling code, and a stack trace would bury the message.
public func tensorFailure(_ message: String) -> Never {
  fflush(nil)  // what the program printed so far comes first
  writeToStandardError("error: \(message)\n")
  exit(1)
}

/// Writes text to standard error without touching C's shared `stderr` stream object.
public func writeToStandardError(_ text: String) {
  var text = text
  text.withUTF8 { bytes in
    var offset = 0
    while offset < bytes.count {
      let written = write(2, bytes.baseAddress! + offset, bytes.count - offset)
      if written <= 0 { return }
      offset += written
    }
  }
}
