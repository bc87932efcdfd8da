import Foundation
import Testing

/// Chapter 9's claims on its quick run (`chapter-09 --quick`): the LSTM mixture learns both text
/// tasks, the slide's reading of padding makes predictions depend on the batch, and training on the
/// slide's softmax output is worse than training on logits.
@Suite("Chapter 9: LSTM experts on text")
struct Chapter09Tests {
  @Test func quickRunSupportsTheChaptersClaims() throws {
    let (run, figures) = try runChapter(9, ["--quick"])
    expectFigures(["accuracy", "routing", "confusion"], in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    #expect(report.chapter == 9 && report.quick)

    // The mixture beats always predicting the majority class on both tasks.
    for task in ["language", "sentiment"] {
      let mixture = try #require(report.number("\(task) mixture accuracy"))
      let majority = try #require(report.number("\(task) majority accuracy"))
      #expect(mixture > majority, "\(task): mixture \(mixture) vs majority \(majority)")
    }

    // The single LSTM is of the same size: within 2% of the mixture's parameters on each task.
    let mixtureSizes = try #require(report.results["mixture parameters"] as? [Int])
    let singleSizes = try #require(report.results["single LSTM parameters"] as? [Int])
    #expect(mixtureSizes.count == 2 && singleSizes.count == 2)
    for (mixture, single) in zip(mixtureSizes, singleSizes) {
      #expect(abs(Double(single - mixture)) / Double(mixture) <= 0.02, "mixture \(mixture) vs single \(single)")
    }

    // Reading the last valid state, a word gets the same prediction alone and in a padded batch;
    // reading the last padded position (the slide), it does not.
    #expect(report.number("fixed reading agrees with reading alone") == 1)
    let slide = try #require(report.number("slide-trained reading agrees with reading alone"))
    #expect(slide < 1)

    // Cross-entropy on logits trains better than cross-entropy on the slide's probabilities.
    let logits = try #require(report.number("language accuracy trained on logits"))
    let probabilities = try #require(report.number("language accuracy trained on probabilities"))
    #expect(logits > probabilities, "logits \(logits) vs probabilities \(probabilities)")
  }
}
