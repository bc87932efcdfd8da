import ChapterProcessTesting
import Foundation
import Testing

/// Chapter 12's claims, checked on its `--quick` run's report: the slide's HierarchicalMoME runs for
/// no batch size and, fixed, equals the library's nested mixture; the hierarchy's cost per input is
/// k^d leaves and 1 + k + ... + k^(d-1) gates for top-k at each of d levels.
@Suite("Chapter 12: hierarchical mixtures")
struct Chapter12Tests {
  static let figureNames = ["nested-regions", "evaluations-by-depth", "tree-leaf-utilization"]

  @Test func theSlidesHierarchyFailsAndItsFixEqualsTheLibrary() throws {
    let (run, figures) = try runChapter(12, ["--quick"])
    expectFigures(Self.figureNames, in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    #expect(report.flag("slide runs for some batch size") == false)
    #expect(report.flag("fixed slide matches library") == true)
  }

  /// Leaves k^d and gates 1 + k + ... + k^(d-1), for d = 1, 2, 3 and k = 1, 2, 4 (4 = every branch).
  @Test func leafAndGateEvaluationsPerInputFollowTheTreesShape() throws {
    let (_, figures) = try runChapter(12, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    #expect(report.results["tree depths"] as? [Int] == [1, 2, 3])
    #expect(report.results["tree k values"] as? [Int] == [1, 2, 4])
    // By k, then by depth.
    let leaves = try #require(report.numbers("leaf evaluations per input by k"))
    let gates = try #require(report.numbers("gate evaluations per input by k"))
    #expect(leaves == [1, 1, 1, 2, 4, 8, 4, 16, 64])
    #expect(gates == [1, 2, 3, 1, 3, 7, 1, 5, 21])
    #expect(report.flag("tree counts match formula") == true)
    #expect(report.number("tree leaf evaluations per input") == 8)
    // The slide's 3 x 2 evaluates every leaf; the arg-max path one.
    #expect(report.number("slide leaf evaluations per input") == 6)
    #expect(report.number("path leaf evaluations per input") == 1)
  }

  @Test func bothModelsHaveTheSameExpertsAndTheHierarchyThreeSmallGatesMore() throws {
    let (_, figures) = try runChapter(12, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    // Six experts 2-8-1 (33 parameters each); gates 3 x 2 + 3 and 3 (2 x 2 + 2) against 6 x 2 + 6.
    #expect(report.integer("flat parameters") == 6 * 33 + 18)
    #expect(report.integer("hierarchy parameters") == 6 * 33 + 9 + 18)
    let hierarchy = try #require(report.number("hierarchy test mse"))
    let flat = try #require(report.number("flat test mse"))
    #expect(hierarchy.isFinite && flat.isFinite && hierarchy > 0 && flat > 0)
  }

  @Test func sameSeedSameOutputAndFigures() throws {
    try expectSameOutputAndFiguresTwice(chapter: 12, figures: Self.figureNames)
  }
}
