import Foundation

/// A chapter's built executable (`chapter-01`, ...), run as a child process with its output captured.
///
/// `swift build` puts the chapter executables in the same bin folder as the test bundle
/// (`.build/debug/`); the folder is found from the running test executable (`/proc/self/exe` on Linux),
/// looking a few levels up for the bundle layout of macOS.
public struct ChapterProcess {
  /// What one run printed, and how it ended.
  public struct Run {
    public var status: Int32
    public var standardOutput: String
    public var standardError: String

    public var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }

    /// The number after `prefix` (and any spaces) on the first line that starts with it, if any.
    public func number(after prefix: String) -> Double? {
      guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else { return nil }
      let rest = line.dropFirst(prefix.count).drop { $0 == " " }.prefix { "0123456789.-".contains($0) }
      return Double(rest)
    }
  }

  public struct MissingExecutable: Error, CustomStringConvertible {
    public var name: String
    public var searched: [String]
    public var description: String {
      "\(name) is not built (looked in \(searched.joined(separator: ", "))): run `swift build` first "
        + "(`make test` does)"
    }
  }

  public let executable: URL

  /// The process of chapter `number`, or an error saying to build the chapters first.
  public init(chapter number: Int) throws {
    try self.init(product: "chapter-" + (number < 10 ? "0\(number)" : "\(number)"))
  }

  /// The process of any executable of the package (`check-exercises`, `readme-chapter-sample`), found
  /// beside the test bundle, or an error saying to build it first.
  public init(product name: String) throws {
    var folder = ChapterProcess.testExecutable().deletingLastPathComponent()
    var searched: [String] = []
    for _ in 0..<4 {
      let candidate = folder.appendingPathComponent(name)
      searched.append(folder.path)
      if FileManager.default.isExecutableFile(atPath: candidate.path) {
        executable = candidate
        return
      }
      folder = folder.deletingLastPathComponent()
    }
    throw MissingExecutable(name: name, searched: searched)
  }

  /// The running test executable.
  public static func testExecutable() -> URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
  }

  /// Runs the chapter with `arguments`. OpenBLAS gets one thread (tests already run in parallel); cell
  /// markers are printed only with `markers`, as the renderer asks for them.
  ///
  /// - Parameter workingDirectory: where the chapter runs (its default figures folder is relative to it);
  ///   nil keeps the test's.
  public func run(_ arguments: [String], markers: Bool = false, workingDirectory: URL? = nil) throws -> Run {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let workingDirectory { process.currentDirectoryURL = workingDirectory }
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_NUM_THREADS"] = "1"
    environment["LESSON_CELL_MARKERS"] = markers ? "1" : nil
    process.environment = environment
    // Standard error goes to a file: reading two pipes one after the other can deadlock.
    let errorFile = FileManager.default.temporaryDirectory
      .appendingPathComponent("chapter-stderr-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: errorFile) }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = try FileHandle(forWritingTo: errorFile)
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return Run(
      status: process.terminationStatus, standardOutput: String(decoding: data, as: UTF8.self),
      standardError: (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "")
  }
}
