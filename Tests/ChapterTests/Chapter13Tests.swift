import ChapterProcessTesting
import Foundation
import Testing

/// Chapter 13's claims, checked on its `--quick` run's report: the slide's broadcast is wrong, L1
/// shrinks the weights of the useless inputs, cv^2 has a gradient at balance where the square-root
/// form has none, and the balancing methods raise the effective number of experts while the entropy
/// term does not.
@Suite("Chapter 13: regularization")
struct Chapter13Tests {
  static let figureNames = ["weight-magnitudes", "utilization-by-regularizer", "largest-logit"]

  @Test func theSlidesBroadcastGivesTheTransposedWeightsForThreeInputs() throws {
    let (run, figures) = try runChapter(13, ["--quick"])
    expectFigures(Self.figureNames, in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    #expect(try #require(report.number("slide error for a batch of three")) > 0.01)
    #expect(run.standardOutput.contains("error: The size of tensor a (3) must match the size of tensor b (32)"))
  }

  @Test func l1ShrinksTheUselessInputsWeightsAndMakesMoreWeightsSmall() throws {
    let (_, figures) = try runChapter(13, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    let strengths = try #require(report.numbers("l1 strengths"))
    #expect(strengths == [0, 0.0001, 0.001, 0.01])
    let useless = try #require(report.numbers("l1 useless input weight"))
    let useful = try #require(report.numbers("l1 useful input weight"))
    #expect(useless.last! < useless.first! / 10, "useless-input weights \(useless)")
    #expect(zip(useless, useful).allSatisfy { $0 < $1 }, "useless \(useless) vs useful \(useful)")
    let small = try #require(report.numbers("l1 share below 0.001"))
    #expect(zip(small, small.dropFirst()).allSatisfy { $0 <= $1 }, "share below 0.001: \(small)")
    // The slide's strength makes the penalty a large part of the loss.
    #expect(try #require(report.numbers("l1 penalty share")).last! > 0.3)
    #expect(try #require(report.numbers("l1 penalty share")).first == 0)
  }

  @Test func cvSquaredHasAGradientAtBalanceAndTheSquareRootFormHasNot() throws {
    let (_, figures) = try runChapter(13, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    #expect(report.flag("cv squared gradient at balance is finite") == true)
    #expect(report.flag("square root gradient at balance is finite") == false)
  }

  /// The test: balancing raises the effective number of experts over the unregularized run
  /// on the same seeds.
  @Test func balancingRaisesTheEffectiveNumberOfExpertsOnTheSameSeeds() throws {
    let (_, figures) = try runChapter(13, ["--quick"])
    let report = try ChapterReportFile(in: figures)
    let none = try #require(report.numbers("none effective experts"))
    for key in ["switch loss", "noisy + cv^2", "bias"] {
      let balanced = try #require(report.numbers("\(key) effective experts"), "\(key)")
      #expect(balanced.count == none.count)
      #expect(zip(balanced, none).allSatisfy { $0 > $1 }, "\(key): \(balanced) vs none \(none)")
      let dead = try #require(report.numbers("\(key) dead experts"))
      let deadWithout = try #require(report.numbers("none dead experts"))
      #expect(zip(dead, deadWithout).allSatisfy { $0 < $1 }, "\(key): dead \(dead) vs none \(deadWithout)")
    }
    #expect(report.flag("balancing raises effective experts on every seed") == true)
    // The entropy term sharpens choices; it is not a balancing term.
    let entropy = try #require(report.numbers("entropy effective experts"))
    #expect(zip(entropy, none).allSatisfy { $0 <= $1 }, "entropy \(entropy) vs none \(none)")
  }

  @Test func sameSeedSameOutputAndFigures() throws {
    try expectSameOutputAndFiguresTwice(chapter: 13, figures: Self.figureNames)
  }
}
