import ChapterProcessTesting
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

/// What the checker printed, and how it ended.
struct CheckerRun {
  let status: Int32
  let output: String
  let error: String
}

/// Runs the `check-exercises` built beside the test bundle (`swift build` puts both in .build/debug).
func runChecker(_ arguments: [String]) throws -> CheckerRun {
  let run = try ChapterProcess(product: "check-exercises").run(arguments)
  return CheckerRun(status: run.status, output: run.standardOutput, error: run.standardError)
}
