import ChapterProcessTesting
import Foundation
import Testing

/// Runs chapters 4-6 as a student would (`chapter-0N --quick --figures DIR`) and checks what they print
/// and draw. The executables must be built first (`swift build`); the tests say so when they are not.
@Suite("Chapter runs")
struct ChapterRunTests {
  /// Runs chapter `number` with `--quick` (and `extra` options) into a new figures folder.
  func quickRun(_ number: Int, _ extra: [String] = []) throws -> (run: ChapterProcess.Run, figures: URL) {
    try runChapter(number, ["--quick"] + extra)
  }

  @Test func chapter4RunsQuick() throws {
    let (run, figures) = try quickRun(4)
    expectFigures(["experts-and-gate"], in: figures, run: run)
    #expect(try ChapterReportFile(in: figures).flag("mixture below every expert alone") != nil)
    #expect(run.lines.contains { $0.hasPrefix("expert 1 alone") })
    #expect(run.lines.contains { $0.hasPrefix("x in [-1.000, ") })
  }

  @Test func chapter5RunsQuick() throws {
    let (run, figures) = try quickRun(5)
    expectFigures(["loss-curves"], in: figures, run: run)
    #expect(run.lines.contains { $0.hasPrefix("lower validation MSE after 5 epochs: ") })
    // The comparison is fair only if both models have (nearly) the same number of parameters.
    let report = try ChapterReportFile(in: figures)
    let mixture = try #require(report.integer("mixture parameters").map(Double.init))
    let mlp = try #require(report.integer("MLP parameters").map(Double.init))
    #expect(abs(mlp - mixture) / mixture <= 0.02, "mixture \(mixture) vs MLP \(mlp) parameters")
    #expect(["the mixture", "the single MLP"].contains(report.text("lower validation MSE") ?? ""))
  }

  @Test func chapter6RunsQuick() throws {
    let (run, figures) = try quickRun(6)
    expectFigures(["regions-before-after", "loss"], in: figures, run: run)
    #expect(try ChapterReportFile(in: figures).integer("experts with at least 10% of the plane") != nil)
    #expect(run.lines.contains { $0.hasPrefix("specialization (quadrant vs expert, 0 to 1): before ") })
    #expect(run.lines.contains { $0.hasPrefix("seed  expert 1") })
  }

  /// Chapter 4's claim at full size (about 7 s in a debug build): the mixture's error on [-1, 1] is
  /// below the error of every expert used alone.
  @Test func chapter4MixtureBeatsEveryExpertAlone() throws {
    let figures = try temporaryFolder("chapter-4-full")
    let run = try ChapterProcess(chapter: 4).run(["--figures", figures.path])
    #expect(run.status == 0, "chapter 4 exited with \(run.status): \(run.standardError)")
    let report = try ChapterReportFile(in: figures)
    #expect(report.flag("mixture below every expert alone") == true)
    let mixtureError = try #require(report.number("mixture MSE"))
    let bestAlone = try #require(report.number("best expert alone MSE"))
    #expect(mixtureError < bestAlone)
    // The same check from the table: the mixture's row against each expert's row (first column: MSE on [-1, 1]).
    let mixture = try #require(tableRow("mixture  ", in: run.lines)?.first.flatMap(Double.init))
    for expert in 1...3 {
      let alone = try #require(tableRow("expert \(expert) alone", in: run.lines)?.first.flatMap(Double.init))
      #expect(mixture < alone, "mixture \(mixture) vs expert \(expert) alone \(alone)")
    }
  }

  /// Chapter 6's claim, at the quick size (the full run takes over a minute in a debug build; the quick
  /// run is large enough for the claim to hold): after training, at least three experts each win at
  /// least 10% of the plane.
  @Test func chapter6UsesThreeExpertsQuick() throws {
    let (_, figures) = try quickRun(6)
    let used = try #require(try ChapterReportFile(in: figures).integer("experts with at least 10% of the plane"))
    #expect(used >= 3)
  }

  @Test func chapter6IsDeterministic() throws {
    let first = try quickRun(6)
    let second = try quickRun(6)
    #expect(
      first.run.standardOutput.replacingOccurrences(of: first.figures.path, with: "FIGURES")
        == second.run.standardOutput.replacingOccurrences(of: second.figures.path, with: "FIGURES"))
    for name in ["regions-before-after", "loss"] {
      let a = try #require(figureBytes(first.figures, name))
      let b = try #require(figureBytes(second.figures, name))
      #expect(a == b, "\(name).png differs between two runs with the same seed")
    }
  }

  @Test func badEpochsStopWithOneLine() throws {
    let run = try ChapterProcess(chapter: 5).run(["--epochs", "-1"])
    #expect(run.status != 0)
    #expect(run.standardError.contains("--epochs must be a positive number of epochs, got -1"))
    #expect(run.standardOutput.isEmpty)
  }
}
