import Testing

@testable import LessonRendering

@Suite("Captured output")
struct CapturedOutputTests {
  func marker(_ index: Int) -> String { CapturedOutput.marker(index) + "\n" }

  @Test func outputBelongsToTheCellThatWasRunning() throws {
    let output =
      marker(1) + marker(2) + "model: 385 parameters\n" + marker(3) + marker(4)
      + "epoch 0: 1.5\nepoch 10: 0.5\n"
    let cells = try CapturedOutput.split(output, cellCount: 4)
    #expect(cells == [[], [.text("model: 385 parameters")], [], [.text("epoch 0: 1.5\nepoch 10: 0.5")]])
  }

  @Test func textBeforeTheFirstMarkerBelongsToCellOne() throws {
    let cells = try CapturedOutput.split("early\n" + marker(2) + "late\n", cellCount: 2)
    #expect(cells == [[.text("early")], [.text("late")]])
  }

  @Test func aMarkerAfterAnUnfinishedLineStillSplits() throws {
    let cells = try CapturedOutput.split("no newline" + marker(2) + "next\n", cellCount: 2)
    #expect(cells == [[.text("no newline")], [.text("next")]])
  }

  @Test func aCellThatRunsAgainAddsToItsOutput() throws {
    let cells = try CapturedOutput.split(marker(1) + "a\n" + marker(2) + "b\n" + marker(1) + "c\n", cellCount: 2)
    #expect(cells == [[.text("a\nc")], [.text("b")]])
  }

  @Test func figuresSplitTheTextInOrder() throws {
    let output = marker(1) + "before\nfigure: Figures/chapter-01/loss.png\nnote: 2 values skipped\n\nafter\n"
    let cells = try CapturedOutput.split(output, cellCount: 1)
    #expect(
      cells == [
        [.text("before"), .figure(path: "Figures/chapter-01/loss.png"), .text("note: 2 values skipped\n\nafter")]
      ])
  }

  @Test func blankLinesAroundTextRunsAreDropped() throws {
    let cells = try CapturedOutput.split(marker(1) + "\n\n  \nvalue\n\n", cellCount: 1)
    #expect(cells == [[.text("value")]])
  }

  @Test func aMarkerBeyondTheSourceMeansAStaleBinary() {
    #expect(throws: LessonError.self) { try CapturedOutput.split(marker(5), cellCount: 3) }
  }

  @Test func otherRecordSeparatorsAreText() throws {
    let cells = try CapturedOutput.split("a\u{1E}b\u{1E}c\n", cellCount: 1)
    #expect(cells == [[.text("a\u{1E}b\u{1E}c")]])
  }
}
