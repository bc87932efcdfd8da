import Exercises
import Testing

@Suite struct OutcomeTests {
  @Test func linesReadAsTheIssueAsks() {
    #expect(ExerciseOutcome.passed.line(exercise: 2) == "exercise 2: passed")
    #expect(ExerciseOutcome.notDone.line(exercise: 3) == "exercise 3: not done yet")
    #expect(ExerciseOutcome.notYet("for k = 2 ...").line(exercise: 2) == "exercise 2: not yet: for k = 2 ...")
    #expect(ExerciseOutcome.timedOut(seconds: 10).line(exercise: 4) == "exercise 4: timed out after 10 s")
  }

  @Test func summaryCountsCrashesAndTimeOutsAsFailed() {
    let outcomes: [ExerciseOutcome] = [
      .passed, .passed, .passed, .crashed("signal 4"), .notDone, .timedOut(seconds: 1),
    ]
    #expect(summaryLine(outcomes) == "3 passed, 2 failed, 1 not done")
  }

  @Test func checksSortTheirErrors() {
    let stub = Exercise(number: 1, title: "", kind: .code) { throw NotDoneYet() }
    let wrong = Exercise(number: 2, title: "", kind: .code) { throw CheckFailure("for x your y is 1, expected 2") }
    struct Other: Error {}
    let other = Exercise(number: 3, title: "", kind: .code) { throw Other() }
    #expect(checkInProcess(stub) == .notDone)
    #expect(checkInProcess(wrong) == .notYet("for x your y is 1, expected 2"))
    #expect(checkInProcess(other) == .notYet("your function threw an error: Other()"))
  }

  @Test func comparisonsNameTheInputAndBothValues() throws {
    #expect(throws: Never.self) {
      try expectClose(
        [Float(0.2689), 0.7311], [0.26894, 0.73106], tolerance: 1e-3, input: "for k = 2", name: "weights")
    }
    do {
      try expectClose(
        [[Float(0.5), 0.5]], [[0.268941, 0.731059]], tolerance: 1e-3, input: "for logits [[1, 2]] and k = 2",
        name: "weights")
      Issue.record("no failure")
    } catch {
      #expect(
        error.message == "for logits [[1, 2]] and k = 2 your weights are [[0.5, 0.5]], expected [[0.2689, 0.7311]]")
    }
    // Relative above 1, absolute below: 1000.5 is close to 1000 at 1e-3, 0.0015 is not close to 0.
    #expect(isClose(1000.5, 1000, tolerance: 1e-3))
    #expect(!isClose(0.0015, 0, tolerance: 1e-3))
    #expect(!isClose(Double.nan, 1, tolerance: 1))
    #expect(throws: CheckFailure.self) {
      try expectClose([Float(1)], [1, 2], tolerance: 1, input: "for a short answer", name: "values")
    }
  }
}
