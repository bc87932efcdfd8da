import ChapterProcessTesting
import Foundation
import Testing

/// Chapter 11's claims, checked on its `--quick` run's report: the slide's threshold test fails for a
/// batch and spends every evaluation, the per-input rule spends only the pairs above tau, tau = 0 is
/// the dense mixture, and evaluations fall as tau grows.
@Suite("Chapter 11: conditional computation")
struct Chapter11Tests {
  static let figureNames = ["experts-per-point", "experts-per-digit", "error-against-compute"]

  @Test func theSlidesThresholdTestFailsForABatchAndRunsEveryExpert() throws {
    let (run, figures) = try runChapter(11, ["--quick"])
    expectFigures(Self.figureNames, in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    #expect(report.flag("slide fails for a batch of eight") == true)
    // 5 experts: the slide runs all five on its one input, whatever the weights.
    #expect(report.integer("slide evaluations for one input") == 5)
    let perInputOne = try #require(report.integer("per-input evaluations for one input"))
    #expect(perInputOne < 5, "the chosen input has weights below tau")
    // The any/all repairs run every expert on the whole batch: 8 inputs x 5 experts.
    #expect(report.integer("slide any evaluations") == 40)
    #expect(report.integer("slide all evaluations") == 40)
    #expect(try #require(report.number("slide any error")) > 0.001, "any() adds terms below tau")
    #expect(try #require(report.number("slide all error")) > 0.001, "all() drops terms above tau")
    let perInput = try #require(report.integer("per-input evaluations for a batch of eight"))
    #expect(perInput < 40)
    #expect(report.integer("library evaluations for a batch of eight") == perInput)
    #expect(report.flag("library matches per-input") == true)
  }

  @Test func fewerEvaluationsAsTauGrowsAndTauZeroIsDense() throws {
    let (_, figures) = try runChapter(11, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    let thresholds = try #require(report.numbers("thresholds"))
    #expect(thresholds.first == 0)
    #expect(thresholds == thresholds.sorted())
    for key in ["plane compute fraction", "digits compute fraction"] {
      let fractions = try #require(report.numbers(key))
      #expect(fractions.count == thresholds.count)
      #expect(fractions.first == 1, "\(key): tau = 0 evaluates every pair")
      #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 >= $1 }, "\(key) grows somewhere: \(fractions)")
      #expect(fractions.last! < 0.5, "\(key): a large tau skips most evaluations")
    }
    #expect(try #require(report.number("plane tau zero max difference from dense")) < 1e-5)
    let planeKept = try #require(report.numbers("plane mse kept"))
    let planeRenormalized = try #require(report.numbers("plane mse renormalized"))
    #expect(planeKept.first == report.number("plane mse dense"))
    #expect(planeRenormalized.first == report.number("plane mse dense"))
    #expect(report.numbers("digits accuracy kept")?.first == report.number("digits accuracy dense"))
  }

  /// Renormalizing scales each input's class scores by a positive number: the arg-max, and so the
  /// accuracy, cannot change.
  @Test func renormalizingNeverChangesTheDigitsAccuracy() throws {
    let (_, figures) = try runChapter(11, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    #expect(report.numbers("digits accuracy kept") == report.numbers("digits accuracy renormalized"))
  }

  /// Where the gate is sure, fewer experts run: the mean count falls band by band of the largest weight.
  @Test func moreExpertsRunWhereTheGateIsUnsure() throws {
    let (_, figures) = try runChapter(11, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    let bands = try #require(report.numbers("experts run by confidence band"))
    let cells = try #require(report.results["grid cells by confidence band"] as? [Int])
    #expect(bands.count == cells.count)
    // Bands without cells have no mean.
    let filled = zip(bands, cells).filter { $0.1 > 0 }.map(\.0)
    #expect(filled.count >= 3)
    #expect(zip(filled, filled.dropFirst()).allSatisfy { $0 >= $1 }, "\(bands)")
    #expect(filled.first! > 2, "where the gate is least sure, several experts run")
    // Largest weight above 0.9 with tau = 0.1: the others add up to less than 0.1, one expert runs.
    #expect(filled.last == 1)
  }

  @Test func sameSeedSameOutputAndFigures() throws {
    try expectSameOutputAndFiguresTwice(chapter: 11, figures: Self.figureNames)
  }
}
