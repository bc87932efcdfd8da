import Foundation
import Testing

/// A chapter's built executable (`chapter-01`, ...), run as a child process with its output captured.
///
/// `swift build` puts the chapter executables in the same bin folder as the test bundle
/// (`.build/debug/`); the folder is found from the running test executable (`/proc/self/exe` on Linux),
/// looking a few levels up for the bundle layout of macOS.
struct ChapterProcess {
  /// What one run printed, and how it ended.
  struct Run {
    var status: Int32
    var standardOutput: String
    var standardError: String

    var lines: [String] { standardOutput.split(separator: "\n").map(String.init) }

    /// The number after `prefix` (and any spaces) on the first line that starts with it, if any.
    func number(after prefix: String) -> Double? {
      guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else { return nil }
      let rest = line.dropFirst(prefix.count).drop { $0 == " " }.prefix { "0123456789.-".contains($0) }
      return Double(rest)
    }
  }

  struct MissingExecutable: Error, CustomStringConvertible {
    var name: String
    var searched: [String]
    var description: String {
      "\(name) is not built (looked in \(searched.joined(separator: ", "))): run `swift build` first "
        + "(`make test` does)"
    }
  }

  let executable: URL

  /// The process of chapter `number`, or an error saying to build the chapters first.
  init(chapter number: Int) throws {
    let name = "chapter-" + (number < 10 ? "0\(number)" : "\(number)")
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
  static func testExecutable() -> URL {
    if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return URL(fileURLWithPath: path)
    }
    return Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
  }

  /// Runs the chapter with `arguments`. OpenBLAS gets one thread (tests already run in parallel), and
  /// no cell markers are printed.
  func run(_ arguments: [String]) throws -> Run {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_NUM_THREADS"] = "1"
    environment.removeValue(forKey: "LESSON_CELL_MARKERS")
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

/// A new empty folder under the temporary directory.
func temporaryFolder(_ label: String) throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// The first eight bytes of every PNG file.
let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// The bytes of `name`.png in `folder`, or nil when the file does not exist.
func figureBytes(_ folder: URL, _ name: String) -> [UInt8]? {
  FileManager.default.contents(atPath: folder.appendingPathComponent(name + ".png").path).map { [UInt8]($0) }
}

/// The number after `prefix` on the first line of `lines` that starts with it, e.g. `"... plane: "` -> 4.
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

/// Runs chapter `number` with `options` into a new figures folder; expects exit status 0.
func runChapter(_ number: Int, _ options: [String]) throws -> (run: ChapterProcess.Run, figures: URL) {
  let figures = try temporaryFolder("chapter-\(number)-figures")
  let run = try ChapterProcess(chapter: number).run(options + ["--figures", figures.path])
  #expect(run.status == 0, "chapter \(number) exited with \(run.status): \(run.standardError)")
  return (run, figures)
}

/// Expects each figure to be announced on standard output and written as a PNG file.
func expectFigures(_ names: [String], in figures: URL, run: ChapterProcess.Run) {
  for name in names {
    let path = figures.appendingPathComponent(name + ".png").path
    #expect(run.lines.contains("figure: \(path)"), "no 'figure: \(path)' line")
    #expect(
      figureBytes(figures, name).map { Array($0.prefix(8)) } == pngSignature, "\(name).png is missing or not a PNG")
  }
}
