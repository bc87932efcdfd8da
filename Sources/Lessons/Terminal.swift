import Support
import Tensors

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Stops the chapter on bad input or a failed write, with one line on standard error and exit status 1.
///
/// What the chapter printed so far is flushed first, so the error comes after it, as it happened.
func lessonFailure(_ message: String) -> Never {
  fflush(nil)
  writeToStandardError("error: \(message)\n")
  exit(1)
}

/// Ends the process with `status` (C's exit, which flushes what was printed).
func terminateProcess(status: Int32) -> Never { exit(status) }

/// Where the chapter's output goes, and whether a person is watching it.
enum Terminal {
  /// Standard output and standard error are both a terminal: a progress bar can be drawn and erased.
  static var isInteractive: Bool { isatty(1) != 0 && isatty(2) != 0 }

  /// Flushes C's buffered standard output (fully buffered when piped) so that what comes next,
  /// a marker or a line on standard error, appears after it.
  static func flushStandardOutput() { fflush(nil) }

  /// The value of an environment variable, or nil when it is not set.
  static func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
  }

  /// The text of the C library's last error (errno).
  static func systemErrorDescription() -> String { SystemError.lastErrorDescription() }
}
