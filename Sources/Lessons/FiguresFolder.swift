import Support

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A folder that cannot receive figures, with the operating system's reason.
struct FiguresFolderError: Error, CustomStringConvertible, Equatable {
  let folder: String
  let reason: String
  var description: String { "cannot write figures to '\(folder)': \(reason)" }
}

/// The folder a chapter writes its figures to, created and checked before the chapter runs, so that a
/// bad `--figures` stops the chapter at once instead of after minutes of training.
enum FiguresFolder {
  /// Creates `folder` and its missing parents (as `mkdir -p`), then proves that a file can be written
  /// there by creating and removing a probe file.
  static func prepare(_ folder: String) throws(FiguresFolderError) {
    func failure(_ reason: String) -> FiguresFolderError { FiguresFolderError(folder: folder, reason: reason) }
    guard !folder.isEmpty else { throw failure("the path is empty") }
    try createDirectories(folder, failure: failure)

    let probe = joined(folder, ".write-probe-\(getpid())")
    let descriptor = open(probe, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    if descriptor < 0 { throw failure(Terminal.systemErrorDescription()) }
    close(descriptor)
    unlink(probe)
  }

  /// `folder/name`, without doubling a trailing slash.
  static func joined(_ folder: String, _ name: String) -> String {
    folder.hasSuffix("/") ? folder + name : folder + "/" + name
  }

  /// `mkdir -p`, with the reason in the figures folder's words.
  private static func createDirectories(
    _ path: String, failure: (String) -> FiguresFolderError
  ) throws(FiguresFolderError) {
    do { try AtomicFile.createFolders(path) } catch { throw failure(error.reason) }
  }
}
