import ChapterProcessTesting
import Foundation
import Testing

/// Runs chapters 1-3 as a student would (`chapter-0N --quick --figures DIR`), checks that they print
/// their key lines and write their figures, and checks the claims their prose makes where that is cheap.
@Suite("Chapters 1-3")
struct ChapterTests {
  /// Runs chapter `number` with `options` into a new figures folder; expects exit status 0.
  func run(_ number: Int, _ options: [String] = ["--quick"]) throws -> (run: ChapterProcess.Run, figures: URL) {
    try runChapter(number, options)
  }

  @Test func chapter1BuildsTheMixtureAndTrainsThePreview() throws {
    let (run, figures) = try run(1)
    expectFigures(["regions", "loss"], in: figures, run: run)
    for line in [
      "input:              [64, 10]",
      "gate probabilities: [64, 3]",
      "expert 1 output:    [64, 5]",
      "mixture output:     [64, 5]",
      "largest |sum of a row of gate probabilities - 1|: 0.000000",
      "largest |mixture output - sum_e g_e(x) E_e(x)|: 0.000000",
      "parameters: one expert 325, gate 33, mixture 1008 (= 3 * 325 + 33)",
    ] {
      #expect(run.lines.contains(line), "missing line '\(line)'")
    }
    #expect(run.lines.contains { $0.hasPrefix("quadrant  rule") }, "no quadrant table")
    let report = try ChapterReportFile(in: figures)
    #expect(report.chapter == 1 && report.quick && report.seed == 1, "chapter 1, quick, its default seed")
    #expect(report.number("largest gate row-sum gap") == 0)
    #expect(report.number("largest mixture formula gap") == 0)
    let baseline = try #require(report.number("validation MSE of the mean predictor"))
    let mixture = try #require(report.number("validation MSE of the mixture"))
    #expect(mixture < baseline, "even the quick run beats the mean predictor")
  }

  @Test func chapter1IsDeterministic() throws {
    let first = try run(1)
    let second = try run(1)
    #expect(
      first.run.standardOutput.replacingOccurrences(of: first.figures.path, with: "FIGURES")
        == second.run.standardOutput.replacingOccurrences(of: second.figures.path, with: "FIGURES"))
    for name in ["regions", "loss"] {
      let a = try #require(
        FileManager.default.contents(atPath: first.figures.appendingPathComponent(name + ".png").path))
      let b = try #require(
        FileManager.default.contents(atPath: second.figures.appendingPathComponent(name + ".png").path))
      #expect(a == b, "\(name).png differs between two runs with the same seed")
    }
  }

  @Test func chapter2ExpertFitsOneRegimeFarBetterThanAnother() throws {
    let (run, figures) = try run(2)
    expectFigures(["fit", "loss", "specialists"], in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    #expect(report.integer("expert parameters") == 13)
    let best = try #require(report.number("best regime MSE"))
    let worst = try #require(report.number("worst regime MSE"))
    #expect(worst > 5 * best, "worst regime \(worst) is not far above the best \(best)")
    #expect(report.text("best regime") != report.text("worst regime"))
    #expect(run.lines.contains { $0.hasPrefix("regime    all-regime expert  its specialist  error ratio") })
  }

  @Test func chapter3GateSumsToOneAndTemperatureRaisesEntropy() throws {
    // Chapter 3 trains nothing, so its full run is as cheap as a quick one: check the prose's claims at
    // full size.
    for options in [["--quick"], []] {
      let (run, figures) = try run(3, options)
      expectFigures(["temperatures"], in: figures, run: run)
      let report = try ChapterReportFile(in: figures)
      #expect(report.quick == (options == ["--quick"]))
      let gap = try #require(report.number("largest gate row-sum gap"))
      #expect(gap <= 1e-6)
      #expect(report.flag("every weight positive") == true)

      // The temperature table: T, mean entropy, mean largest weight, "n of n", weights below 1e-20.
      let start = try #require(run.lines.firstIndex { $0.hasPrefix("    T  mean entropy") })
      let rows = run.lines[(start + 2)...].prefix { !$0.hasPrefix("figure:") }.map {
        $0.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
      }
      #expect(rows.count == 5)
      let temperatures = rows.compactMap { Double($0[0]) }
      let entropies = rows.compactMap { Double($0[1]) }
      let largestWeights = rows.compactMap { Double($0[2]) }
      #expect(temperatures == temperatures.sorted())
      #expect(zip(entropies, entropies.dropFirst()).allSatisfy { $0 < $1 }, "entropy \(entropies)")
      #expect(entropies.allSatisfy { $0 >= 0 && $0 <= log(3.0) })
      #expect(zip(largestWeights, largestWeights.dropFirst()).allSatisfy { $0 > $1 })
      #expect(rows.allSatisfy { $0[3] == $0[5] && $0[4] == "of" }, "the winners moved with the temperature")

      let errors = run.lines.filter { $0.contains("MSE of the gated perfect experts") }.compactMap {
        Double($0.split(separator: " ").last!)
      }
      #expect(errors.count == 5)
      #expect(zip(errors, errors.dropFirst()).allSatisfy { $0 < $1 }, "perfect-expert errors \(errors)")
    }
  }

  @Test func optionsThatDoNotApplyStopWithOneLine() throws {
    let chapter3 = try ChapterProcess(chapter: 3).run(["--epochs", "5"])
    #expect(chapter3.status != 0)
    #expect(chapter3.standardError.contains("does not train"))
    #expect(chapter3.standardOutput.isEmpty)

    let chapter2 = try ChapterProcess(chapter: 2).run(["--epochs", "0"])
    #expect(chapter2.status != 0)
    #expect(chapter2.standardOutput.isEmpty)
  }
}
