import Foundation
import Testing

/// `check-exercises` itself, run as `make check-N` runs it: each exercise in a child process, so a
/// trap or an endless loop is reported and the next exercise still runs.
@Suite struct CheckerProcessTests {
  @Test func reportsEveryKindOfOutcomeAndKeepsGoing() throws {
    let run = try runChecker(["self-test", "--time-limit", "2"])
    #expect(run.status == 1)
    let lines = run.output.split(separator: "\n").map(String.init)
    #expect(lines.contains("exercise 1: passed"))
    #expect(
      lines.contains {
        $0.hasPrefix("exercise 2: crashed (Fatal error: Index out of range at ")
          && $0.contains("RuntimeSelfTest.swift:")
      })
    #expect(lines.contains("exercise 3: timed out after 2 s"))
    #expect(lines.contains("exercise 4: not done yet"))
    #expect(lines.contains("exercise 5: not yet: for 2 + 2 your sum is 3, expected 4"))
    #expect(lines.last == "1 passed, 3 failed, 1 not done")
  }

  @Test func jsonGivesOneObjectPerExercise() throws {
    let run = try runChecker(["self-test", "--time-limit", "2", "--json"])
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any])
    let exercises = try #require(object["exercises"] as? [[String: Any]])
    #expect(exercises.map { $0["status"] as? String } == ["passed", "crashed", "timed out", "not done", "failed"])
    #expect(exercises[4]["message"] as? String == "for 2 + 2 your sum is 3, expected 4")
    #expect(object["allPassed"] as? Bool == false)
  }

  @Test func solutionsPassAndStubsAreNotDone() throws {
    let solutions = try runChecker(["6", "--solutions"])
    #expect(solutions.status == 0, "\(solutions.output)")
    #expect(solutions.output.hasSuffix("3 passed, 0 failed, 0 not done\n"))
    let stubs = try runChecker(["6"])
    #expect(stubs.status == 1)
    #expect(stubs.output.contains("exercise 5: not done yet"))
  }

  @Test func aBadOptionOrChapterStopsWithOneLine() throws {
    let chapter = try runChecker(["99"])
    #expect(chapter.status == 2)
    #expect(chapter.error.hasPrefix("error: no exercises for chapter 99"))
    let limit = try runChecker(["6", "--time-limit", "soon"])
    #expect(limit.status == 2)
    #expect(limit.error == "error: --time-limit soon: expected a positive number of seconds\n")
    let exercise = try runChecker(["6", "--only", "9"])
    #expect(exercise.status == 2)
    #expect(exercise.error == "error: chapter 6 has no exercise 9 (its exercises: 5, 6, 7)\n")
  }
}

struct CheckerRun {
  var status: Int32
  var output: String
  var error: String
}

/// Runs the `check-exercises` built beside the test bundle (`swift build` puts both in .build/debug).
func runChecker(_ arguments: [String]) throws -> CheckerRun {
  var folder = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
    .deletingLastPathComponent()
  var executable: URL?
  for _ in 0..<4 where executable == nil {
    let candidate = folder.appendingPathComponent("check-exercises")
    if FileManager.default.isExecutableFile(atPath: candidate.path) { executable = candidate }
    folder = folder.deletingLastPathComponent()
  }
  let process = Process()
  process.executableURL = try #require(executable, "check-exercises is not built: run `swift build` first")
  process.arguments = arguments
  var environment = ProcessInfo.processInfo.environment
  environment["OPENBLAS_NUM_THREADS"] = "1"
  process.environment = environment
  let errorFile = FileManager.default.temporaryDirectory.appendingPathComponent("checker-stderr-\(UUID())")
  _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
  defer { try? FileManager.default.removeItem(at: errorFile) }
  let output = Pipe()
  process.standardOutput = output
  process.standardError = try FileHandle(forWritingTo: errorFile)
  try process.run()
  let bytes = output.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let errorText = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
  return CheckerRun(status: process.terminationStatus, output: String(decoding: bytes, as: UTF8.self), error: errorText)
}
