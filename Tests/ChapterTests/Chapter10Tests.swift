import ChapterProcessTesting
import Foundation
import Testing

/// Runs chapter 10 (CNN experts on MNIST digits) with `--quick` and checks its claims on the report:
/// the mixtures learn well above chance, the routing counts cover the test set, the comparisons are
/// between models of equal size, and the slide's two flaws show as the prose says.
@Suite("Chapter 10")
struct Chapter10Tests {
  static let figures = ["confusion", "class-by-expert", "digits-by-expert", "digits-by-cnn-expert", "loss"]

  @Test func quickRunLearnsAndItsRoutingCoversTheTestSet() throws {
    let (run, figures) = try runChapter(10, ["--quick"])
    expectFigures(Self.figures, in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    #expect(report.chapter == 10 && report.quick)

    // Ten classes: chance is 10%. Even two quick epochs on 600 digits are far above it.
    let mixture = try #require(report.number("mixture test accuracy"))
    let cnnExperts = try #require(report.number("CNN experts test accuracy"))
    #expect(mixture > 0.3, "mixture of MLP experts: \(mixture)")
    #expect(cnnExperts > 0.3, "mixture of CNN experts: \(cnnExperts)")

    // Every test digit is counted once in each class-by-expert matrix, and the digits drawn per expert
    // come from the same routing as the matrix.
    let testDigits = try #require(report.integer("test digits"))
    #expect(testDigits == 300)
    #expect(report.integer("class by expert total") == testDigits)
    #expect(report.integer("CNN class by expert total") == testDigits)
    #expect(report.flag("routed digits agree with the report") == true)
    for key in ["mixture specialization", "CNN experts specialization"] {
      let score = try #require(report.number(key))
      // I(digit; expert) / H(digit) with 4 experts and 10 classes: at most log 4 / log 10.
      #expect(score >= 0 && score <= log(4) / log(10) + 1e-3, "\(key): \(score)")
    }

    // Equal sizes: each mixture against its single network, within 1%.
    for (mixtureKey, singleKey) in [
      ("mixture parameters", "single network parameters"), ("CNN experts parameters", "single CNN parameters"),
    ] {
      let a = Double(try #require(report.integer(mixtureKey)))
      let b = Double(try #require(report.integer(singleKey)))
      #expect(abs(a - b) / a < 0.01, "\(mixtureKey) \(a) vs \(singleKey) \(b)")
    }

    // The slide's softmax before the cross-entropy: the loss of probabilities cannot fall below
    // log(9 + e) - 1, the value for a perfect one-hot probability vector.
    let floor = try #require(report.number("cross-entropy floor of probabilities"))
    #expect(abs(floor - (log(9 + exp(1.0)) - 1)) < 1e-4)
    let softmaxFirstLoss = try #require(report.number("softmax-first final training loss"))
    #expect(softmaxFirstLoss > floor)

    // The slide's stacking: [E, B, C] * [B, E, 1] runs at B = 1 with the wrong shape, gives wrong
    // values at B = E and does not broadcast otherwise.
    #expect(run.lines.contains { $0.hasPrefix(" 1 ") && $0.hasSuffix("runs, but the output is [5, 10], not [1, 10]") })
    #expect(run.lines.contains { $0.hasPrefix(" 5 ") && $0.contains("right shape, wrong values: largest error ") })
    #expect(run.lines.contains { $0.hasPrefix("64 ") && $0.hasSuffix("error: sizes 5 and 64 do not broadcast") })
  }

  @Test func sameSeedGivesTheSameOutputAndFigures() throws {
    let first = try runChapter(10, ["--quick"])
    let second = try runChapter(10, ["--quick"])
    #expect(
      first.run.standardOutput.replacingOccurrences(of: first.figures.path, with: "FIGURES")
        == second.run.standardOutput.replacingOccurrences(of: second.figures.path, with: "FIGURES"))
    for name in Self.figures {
      let a = try #require(figureBytes(first.figures, name))
      #expect(a == figureBytes(second.figures, name), "\(name).png differs between two runs with the same seed")
    }
  }
}
