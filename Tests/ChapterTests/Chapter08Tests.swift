import ChapterProcessTesting
import Foundation
import Testing

/// Chapter 8's claims, checked on its `--quick` run's report: the slide's SparseMoME runs every expert
/// and mis-indexes a batch, sparse dispatch runs k experts per input at every E, and the balancing
/// losses spread the load.
@Suite("Chapter 8: sparse activation")
struct Chapter08Tests {
  static let figureNames = ["compute-per-input", "utilization-by-k", "utilization-balancing"]

  @Test func sparseEvaluationsStayAtKWhileTheSlidesGrowWithTheNumberOfExperts() throws {
    let (run, figures) = try runChapter(8, ["--quick"])
    expectFigures(Self.figureNames, in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    let expertCounts = try #require(report.results["expert counts"] as? [Int])
    let slide = try #require(report.numbers("slide evaluations per input"))
    let sparse = try #require(report.numbers("sparse evaluations per input"))
    #expect(expertCounts == [4, 8, 16, 32, 64])
    #expect(slide == expertCounts.map(Double.init), "the slide runs all E experts on every input")
    #expect(sparse == [Double](repeating: 2, count: expertCounts.count), "sparse dispatch runs k = 2 per input")
    // Multiply-adds: the slide's grow by a whole expert per expert added, the sparse ones by the gate's row.
    let slideCost = try #require(report.numbers("slide multiply-adds per input"))
    let sparseCost = try #require(report.numbers("sparse multiply-adds per input"))
    // 64-32-10 experts: 2368 multiply-adds each; the gate 64 per expert.
    #expect(slideCost == expertCounts.map { Double($0 * (2368 + 64)) })
    #expect(sparseCost == expertCounts.map { Double(2 * 2368 + 64 * $0) })
  }

  @Test func theSlidesIndexingIsWrongAndTheLibraryIsRight() throws {
    let (_, figures) = try runChapter(8, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    // PyTorch gives [1, k, out] = [1, 3, 5] for the slide's own example, not the [1, 5] it prints.
    #expect(report.results["slide output shape for one input"] as? [Int] == [1, 3, 5])
    #expect(report.flag("slide fails for a batch of four") == true)
    #expect(report.number("repaired slide diagonal error") == 0)
    #expect(try #require(report.number("repaired slide off-diagonal error")) > 0.01)
    #expect(report.flag("library matches correct gather") == true)
  }

  @Test func balancingLowersTheCoefficientOfVariationOfImportanceOnTheSameSeed() throws {
    let (_, figures) = try runChapter(8, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    let without = try #require(report.number("cv importance without balancing"))
    let with = try #require(report.number("cv importance with balancing"))
    #expect(with < without, "CV(Importance) \(with) with balancing vs \(without) without")
    let loadWithout = try #require(report.number("max/mean load without balancing"))
    let loadWith = try #require(report.number("max/mean load with balancing"))
    #expect(loadWith < loadWithout)
    #expect(report.flag("balancing lowers cv importance on every seed") == true)
  }

  /// Token choice gives every input k = 2 experts; expert choice gives every expert the same C inputs.
  @Test func tokenChoiceFixesExpertsPerInputAndExpertChoiceFixesInputsPerExpert() throws {
    let (_, figures) = try runChapter(8, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    #expect(report.results["token choice experts per input"] as? [Int] == [2])
    let loads = try #require(report.results["expert choice load per expert"] as? [Int])
    #expect(loads.count == 16)
    #expect(Set(loads).count == 1, "every expert takes the same number of inputs: \(loads)")
  }

  @Test func sameSeedSameOutputAndFigures() throws {
    try expectSameOutputAndFiguresTwice(chapter: 8, figures: Self.figureNames)
  }
}
