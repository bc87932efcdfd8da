#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The C library's words for an error number (strerror), for messages that say why a file call failed.
public enum SystemError {
  /// The text for `code`: describe(ENOENT) is "No such file or directory".
  public static func describe(_ code: Int32) -> String { String(cString: strerror(code)) }

  /// The text for the calling thread's last error (errno). Read it right after the failed call: any
  /// later call may change errno.
  public static func lastErrorDescription() -> String { describe(errno) }
}
