import Testing

@testable import Lessons

/// Everything a training loop sends to the two streams, in order.
final class RecordedStreams {
  enum Event: Equatable {
    case line(String)
    case bar(String)
  }
  var events: [Event] = []

  var output: ProgressOutput {
    ProgressOutput(
      printLine: { self.events.append(.line($0)) }, writeBar: { self.events.append(.bar($0)) }, flush: {})
  }
  var lines: [String] { events.compactMap { if case .line(let text) = $0 { text } else { nil } } }
  var barWrites: [String] { events.compactMap { if case .bar(let text) = $0 { text } else { nil } } }
}

/// Runs `epochs` as a chapter's loop does, logging "epoch N" at each step.
func runLoop(_ epochs: Range<Int>, every interval: Int, drawsBar: Bool, into streams: RecordedStreams) {
  for step in TrainingProgress(epochs: epochs, interval: interval, drawsBar: drawsBar, output: streams.output) {
    step.log("epoch \(step.epoch)")
  }
}

@Suite("Training progress")
struct TrainingProgressTests {
  @Test func logsTheFirstEpochEveryIntervalAndTheLast() {
    let streams = RecordedStreams()
    runLoop(0..<10, every: 4, drawsBar: false, into: streams)
    #expect(streams.lines == ["epoch 0", "epoch 4", "epoch 8", "epoch 9"])
  }

  @Test func theLastEpochLogsEvenWhenItIsOnSchedule() {
    let streams = RecordedStreams()
    runLoop(1..<8, every: 3, drawsBar: false, into: streams)
    // 7 is both on the schedule and the last: printed once.
    #expect(streams.lines == ["epoch 1", "epoch 4", "epoch 7"])
  }

  @Test func aSingleEpochLogsOnce() {
    let streams = RecordedStreams()
    runLoop(5..<6, every: 100, drawsBar: false, into: streams)
    #expect(streams.lines == ["epoch 5"])
  }

  @Test func emptyRangeLogsNothing() {
    let streams = RecordedStreams()
    runLoop(0..<0, every: 5, drawsBar: true, into: streams)
    #expect(streams.events.isEmpty)
  }

  @Test func logBuildsItsLineOnlyWhenDue() {
    var built: [Int] = []
    for step in TrainingProgress(epochs: 0..<6, interval: 5, drawsBar: false, output: RecordedStreams().output) {
      step.log(
        {
          built.append(step.epoch)
          return ""
        }())
    }
    #expect(built == [0, 5])
  }

  @Test func withoutATerminalNothingButTheLinesIsWritten() {
    let streams = RecordedStreams()
    runLoop(0..<50, every: 10, drawsBar: false, into: streams)
    #expect(streams.barWrites.isEmpty)
    #expect(streams.lines == ["epoch 0", "epoch 10", "epoch 20", "epoch 30", "epoch 40", "epoch 49"])
  }

  @Test func testProcessesDoNotDrawBars() {
    // `swift test` pipes the test process's output, so a chapter run here would draw none.
    #expect(!ProgressBar.drawsOnThisTerminal)
  }

  @Test func theBarIsErasedAroundEachLineAndAtTheEnd() {
    let streams = RecordedStreams()
    runLoop(0..<4, every: 2, drawsBar: true, into: streams)
    let erase = "\r\u{1B}[K"
    func bar(_ epoch: Int, _ completed: Int) -> RecordedStreams.Event {
      .bar(erase + ProgressBar.line(label: "epoch \(epoch) of 3", completed: completed, total: 4, width: 30))
    }
    #expect(
      streams.events == [
        bar(0, 0), .bar(erase), .line("epoch 0"), bar(0, 0),
        bar(1, 1),
        bar(2, 2), .bar(erase), .line("epoch 2"), bar(2, 2),
        bar(3, 3), .bar(erase), .line("epoch 3"), bar(3, 3),
        // The loop ends: the bar leaves the terminal line empty.
        .bar(erase),
      ])
  }

  @Test func theBarRedrawsOnlyWhenTheWholePercentageChanges() {
    let streams = RecordedStreams()
    runLoop(0..<1000, every: 1000, drawsBar: true, into: streams)
    let draws = streams.barWrites.filter { $0 != "\r\u{1B}[K" }
    // 1000 epochs, percentages 0...99 while the loop runs, one line redrawn after "epoch 0" and
    // "epoch 999" each.
    #expect(draws.count == 100 + 2)
    #expect(draws.last?.hasSuffix("] 99%") == true)
    #expect(streams.barWrites.last == "\r\u{1B}[K")
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
