import Foundation

/// One run of a chapter's binary in capture mode: what it printed on each stream.
public struct ChapterRun: Sendable {
  /// Everything printed on standard output, cell markers included.
  public let standardOutput: String
  /// Everything printed on standard error (warnings, or the error when it failed).
  public let standardError: String

  /// Runs `binary` in `workingDirectory` with `LESSON_CELL_MARKERS=1` and waits for it. Throws, naming
  /// the chapter and showing its standard error, when it is missing or exits with a non-zero status.
  public static func capture(
    binary: String, arguments: [String] = [], workingDirectory: String, chapterName: String
  ) throws(LessonError) -> ChapterRun {
    guard FileManager.default.isExecutableFile(atPath: binary) else {
      throw LessonError.runFailed(
        "no executable \(binary) for \(chapterName): build it first (swift build -c release --product \(chapterName))")
    }
    let scratch = FileManager.default.temporaryDirectory
      .appendingPathComponent("render-lesson-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    let outputURL = scratch.appendingPathComponent("stdout")
    let errorURL = scratch.appendingPathComponent("stderr")
    defer { try? FileManager.default.removeItem(at: scratch) }

    let status: Int32
    do {
      try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
      _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
      _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
      let output = try FileHandle(forWritingTo: outputURL)
      let error = try FileHandle(forWritingTo: errorURL)
      defer {
        try? output.close()
        try? error.close()
      }
      let process = Process()
      process.executableURL = URL(fileURLWithPath: binary)
      process.arguments = arguments
      process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory)
      var environment = ProcessInfo.processInfo.environment
      environment["LESSON_CELL_MARKERS"] = "1"
      process.environment = environment
      process.standardInput = FileHandle.nullDevice
      process.standardOutput = output
      process.standardError = error
      try process.run()
      process.waitUntilExit()
      status = process.terminationReason == .exit ? process.terminationStatus : 128 + process.terminationStatus
    } catch {
      throw LessonError.runFailed("cannot run \(binary): \(error.localizedDescription)")
    }

    let standardOutput = (try? Files.readText(outputURL.path)) ?? ""
    let standardError = (try? Files.readText(errorURL.path)) ?? ""
    guard status == 0 else {
      let shown = standardError.isEmpty ? "(nothing on standard error)" : standardError
      throw LessonError.runFailed("\(chapterName) failed with exit status \(status):\n\(shown)")
    }
    return ChapterRun(standardOutput: standardOutput, standardError: standardError)
  }
}
