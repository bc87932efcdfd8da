import ChapterProcessTesting
import Foundation
import Testing

/// Chapter 14's claims, checked on its `--quick` run's report: the slide's activation count is the
/// gate's arg-max, which agrees with the softmax gate and not with what a capacity-limited router
/// routed; the slide's MSE favours the least accurate mixture; and the one-call report lands as CSV
/// in the run's figures folder.
@Suite("Chapter 14: evaluation")
struct Chapter14Tests {
  static let figureNames = ["confusion", "class-by-expert", "gate-entropy", "accuracy-by-confidence"]
  static let testCount = 451

  @Test func argmaxAndRoutedCountsAgreeWhereNothingIsDroppedAndDifferByTheDroppedInputs() throws {
    let (run, figures) = try runChapter(14, ["--quick"])
    expectFigures(Self.figureNames, in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    #expect(report.flag("slide counts equal argmax counts") == true, "the slide counts the gate's arg-max")
    let softmaxArgmax = try #require(report.integers("softmax argmax counts"))
    #expect(softmaxArgmax.reduce(0, +) == Self.testCount)
    #expect(
      report.integers("softmax routed counts") == [Int](repeating: Self.testCount, count: 8),
      "a dense gate computes every expert on every input")
    #expect(report.integer("top-2 routed total") == 2 * Self.testCount)
    let switchArgmax = try #require(report.integers("switch argmax counts"))
    let switchRouted = try #require(report.integers("switch routed counts"))
    let dropped = try #require(report.integer("switch dropped inputs"))
    #expect(switchArgmax.reduce(0, +) == Self.testCount)
    #expect(dropped > 0, "capacity factor 1 drops inputs")
    #expect(zip(switchArgmax, switchRouted).allSatisfy { $0 >= $1 })
    #expect(switchArgmax.reduce(0, +) - switchRouted.reduce(0, +) == dropped, "the counts differ by the dropped inputs")
    // A dropped input outputs zeros (class 0); the whole test set as one batch has more room.
    let droppedAccuracy = try #require(report.number("switch accuracy dropped"))
    let routedAccuracy = try #require(report.number("switch accuracy routed"))
    #expect(droppedAccuracy < routedAccuracy)
    let droppedFractions = try #require(report.numbers("dropped fraction"))
    #expect(droppedFractions[0] == 0 && droppedFractions[1] == 0)
    #expect(try #require(report.number("switch one batch dropped fraction")) < droppedFractions[2])
    #expect(report.flag("switch drops on every seed") == true)
  }

  @Test func theSlidesLossFavoursTheLeastAccurateMixtureAndItsAccuracyIsRight() throws {
    let (_, figures) = try runChapter(14, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    let slideAccuracy = try #require(report.numbers("slide accuracy"))
    let accuracy = try #require(report.numbers("test accuracy"))
    let slideLoss = try #require(report.numbers("slide average loss"))
    for index in 0..<3 {
      #expect(abs(slideAccuracy[index] - accuracy[index]) < 0.001, "correct / len(dataset) is the accuracy")
    }
    let leastAccurate = accuracy.indices.min { accuracy[$0] < accuracy[$1] }!
    let lowestSlideLoss = slideLoss.indices.min { slideLoss[$0] < slideLoss[$1] }!
    #expect(leastAccurate == 2 && lowestSlideLoss == 2, "accuracy \(accuracy), slide's loss \(slideLoss)")
    let gaps = try #require(report.numbers("mean of batch means minus mean per input"))
    #expect(gaps.allSatisfy { $0 != 0 }, "the short last batch moves the mean of batch means: \(gaps)")
    // Each mixture's histogram of gate entropies counts every test input once.
    let histograms = try #require(report.integers("gate entropy histograms"))
    #expect(histograms.count == 30)
    for mixture in 0..<3 {
      #expect(histograms[(mixture * 10)..<(mixture * 10 + 10)].reduce(0, +) == Self.testCount)
    }
    let less = try #require(report.numbers("accuracy less confident half"))
    let more = try #require(report.numbers("accuracy more confident half"))
    #expect(zip(less, more).allSatisfy { $0 < $1 }, "less confident \(less), more confident \(more)")
  }

  @Test func sameSeedSameOutputAndFigures() throws {
    try expectSameOutputAndFiguresTwice(chapter: 14, figures: Self.figureNames)
  }

  @Test func theOneCallReportIsSavedAsCSVInTheFiguresFolder() throws {
    let first = try runChapter(14, ["--quick"])
    for name in ["softmax", "noisy-top-2", "switch"] {
      let path = first.figures.appendingPathComponent("evaluation-\(name).csv").path
      let text = try #require(FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) })
      #expect(text.hasPrefix("metric,value\nsamples,451\nloss,"), "\(name): \(text.prefix(60))")
      #expect(text.contains("\nconfidence.from_0.125.inputs,"))
      #expect(text.contains("\nrouting.dropped_token_fraction,"))
    }
  }
}

extension ChapterReportFile {
  fileprivate func integers(_ key: String) -> [Int]? { results[key] as? [Int] }
}
