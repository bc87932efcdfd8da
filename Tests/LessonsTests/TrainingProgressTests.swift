import Testing

@testable import Lessons

@Suite("Training progress")
struct TrainingProgressTests {
  @Test func visitsEveryEpochAndReportsOnSchedule() {
    let progress = TrainingProgress(epochs: 0..<10, interval: 4)
    let steps = Array(progress)
    #expect(steps.map(\.epoch) == Array(0..<10))
    #expect(steps.filter(\.isReportDue).map(\.epoch) == [0, 4, 8, 9])
    #expect(steps.filter(\.isLast).map(\.epoch) == [9])
  }

  @Test func scheduleCountsFromTheFirstEpoch() {
    let steps = Array(TrainingProgress(epochs: 1..<8, interval: 3))
    #expect(steps.filter(\.isReportDue).map(\.epoch) == [1, 4, 7])
  }

  @Test func emptyRangeHasNoSteps() {
    #expect(Array(TrainingProgress(epochs: 0..<0, interval: 5)).isEmpty)
  }

  @Test func logBuildsItsLineOnlyWhenDue() {
    var built: [Int] = []
    for step in TrainingProgress(epochs: 0..<6, interval: 5) {
      step.log(
        {
          built.append(step.epoch)
          return ""
        }())
    }
    #expect(built == [0, 5])
  }

  @Test func noBarWhenOutputIsNotATerminal() {
    // `swift test` pipes the output of the test process.
    var iterator = TrainingProgress(epochs: 0..<3, interval: 1).makeIterator()
    #expect(iterator.bar == nil || ProgressBar.drawsOnThisTerminal)
    #expect(iterator.next()?.epoch == 0)
  }

  @Test func barLine() {
    #expect(ProgressBar.line(label: "epoch 0", completed: 0, total: 10, width: 10) == "epoch 0 [----------] 0%")
    #expect(ProgressBar.line(label: "epoch 4", completed: 4, total: 10, width: 10) == "epoch 4 [####------] 40%")
    #expect(ProgressBar.line(label: "done", completed: 10, total: 10, width: 10) == "done [##########] 100%")
    #expect(ProgressBar.percent(completed: 1, total: 3) == 33)
    #expect(ProgressBar.percent(completed: 0, total: 0) == 100)
  }
}

@Suite("Cell markers")
struct LessonCellTests {
  @Test func markerIsOneUnambiguousLine() {
    #expect(LessonCell.marker(7) == "\u{1E}lesson-cell 7\u{1E}")
    #expect(!LessonCell.marker(7).contains("\n"))
  }
}
