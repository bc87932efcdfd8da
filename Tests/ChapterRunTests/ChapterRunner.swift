import Foundation

/// Runs a chapter's built executable (`chapter-04`, ...) as a child process and captures what it
/// printed.
///
/// The executables live in the same bin folder as the test bundle (`.build/debug/`), built by
/// `swift build` or `swift test` (which builds every target). The folder is found from the test
/// process's own executable, walking up a few levels for the bundle layouts of macOS.
struct ChapterRunner {
  struct Run {
    var status: Int32
    var standardOutput: String
    var standardError: String
    /// Lines of standard output.
    var lines: [String] { standardOutput.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
  }

  enum Failure: Error, CustomStringConvertible {
    case missingExecutable(name: String, searched: [String])

    var description: String {
      switch self {
      case .missingExecutable(let name, let searched):
        return "\(name) is not built (looked in \(searched.joined(separator: ", "))): run `swift build` first"
      }
    }
  }

  let executable: URL

  /// The runner of chapter `number` from the test's own build (debug under `swift test`), or an error
  /// saying to build the chapters first.
  init(chapter number: Int) throws {
    let name = ChapterRunner.executableName(number)
    var folder = ChapterRunner.testExecutable().deletingLastPathComponent()
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
    throw Failure.missingExecutable(name: name, searched: searched)
  }

  /// The runner of chapter `number` from the release build next to the test's build folder
  /// (`.build/<triple>/release/` beside `.build/<triple>/debug/`), as `make chapter-N` builds it; nil
  /// when there is none. Full-size runs that take minutes in debug take seconds there.
  static func release(chapter number: Int) -> ChapterRunner? {
    let binFolder = testExecutable().deletingLastPathComponent()
    let candidate = binFolder.deletingLastPathComponent().appendingPathComponent("release")
      .appendingPathComponent(executableName(number))
    guard binFolder.lastPathComponent == "debug", FileManager.default.isExecutableFile(atPath: candidate.path)
    else { return nil }
    return ChapterRunner(executable: candidate)
  }

  init(executable: URL) { self.executable = executable }

  /// `chapter-04`, `chapter-12`.
  static func executableName(_ number: Int) -> String { "chapter-" + (number < 10 ? "0\(number)" : "\(number)") }

  /// The running test executable: /proc/self/exe on Linux, the main bundle's executable elsewhere.
  static func testExecutable() -> URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
  }

  /// Runs the chapter with `arguments`, OpenBLAS pinned to one thread (tests already run in parallel).
  func run(_ arguments: [String]) throws -> Run {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_NUM_THREADS"] = "1"
    environment.removeValue(forKey: "LESSON_CELL_MARKERS")
    process.environment = environment
    let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("chapter-stderr-\(UUID().uuidString)")
    FileManager.default.createFile(atPath: errorFile.path, contents: nil)
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

/// A new empty folder under the temporary directory, for one run's figures.
func temporaryFolder(_ label: String) throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// The eight bytes every PNG file starts with.
let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// The bytes of `name`.png in `folder`, or nil when the file does not exist.
func figureBytes(_ folder: URL, _ name: String) -> [UInt8]? {
  FileManager.default.contents(atPath: folder.appendingPathComponent(name + ".png").path).map { [UInt8]($0) }
}

/// The number after `prefix` on the first line that starts with it, e.g. `"... plane: "` -> 4.
func number(after prefix: String, in lines: [String]) -> Double? {
  guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else { return nil }
  let rest = line.dropFirst(prefix.count).prefix { $0.isNumber || $0 == "." || $0 == "-" }
  return Double(rest)
}

/// The cells after `label` on the first line that starts with it, split at spaces: a row of a table
/// printed by `printTable`.
func tableRow(_ label: String, in lines: [String]) -> [String]? {
  guard let line = lines.first(where: { $0.hasPrefix(label) }) else { return nil }
  return line.dropFirst(label.count).split(separator: " ").map(String.init)
}
