import ArgumentParser
import Testing

@testable import Lessons

@Suite("Chapter options")
struct ChapterOptionsTests {
  let description = ChapterDescription(
    number: 6, title: "Expert regions", abstract: "Which expert the gate picks, over the plane.",
    defaultSeed: 7, defaultEpochs: 300)

  func chapter(_ arguments: [String]) throws -> Chapter {
    Chapter(description: description, options: try ChapterOptions.parse(arguments, for: description))
  }

  /// The message ArgumentParser prints for `arguments`, which must fail to parse.
  func errorMessage(_ arguments: [String]) -> String {
    do {
      _ = try ChapterOptions.parse(arguments, for: description)
      return "parsed without error"
    } catch {
      return ChapterDescription.$current.withValue(description) { ChapterOptions.message(for: error) }
    }
  }

  @Test func defaultsComeFromTheChapter() throws {
    let chapter = try chapter([])
    #expect(chapter.seed == 7)
    #expect(!chapter.quick)
    #expect(chapter.figuresFolder == "Figures/chapter-06")
    #expect(chapter.epochs(quick: 20) == 300)
  }

  @Test func optionsOverrideDefaults() throws {
    let chapter = try chapter(["--seed", "42", "--epochs", "50", "--figures", "/tmp/figures"])
    #expect(chapter.seed == 42)
    #expect(chapter.figuresFolder == "/tmp/figures")
    #expect(chapter.epochs(quick: 20) == 50)
  }

  @Test func quickRunsTheQuickEpochs() throws {
    #expect(try chapter(["--quick"]).epochs(quick: 20) == 20)
    #expect(try chapter(["--quick", "--epochs", "50"]).epochs(quick: 20) == 20)
  }

  @Test(arguments: ["-1", "0"])
  func nonPositiveEpochsAreRejected(value: String) {
    #expect(errorMessage(["--epochs", value]) == "--epochs must be a positive number of epochs, got \(value)")
    #expect(errorMessage(["--epochs=\(value)"]) == "--epochs must be a positive number of epochs, got \(value)")
  }

  @Test func unknownOptionsAndBadValuesAreRejected() {
    #expect(errorMessage(["--bogus"]).contains("--bogus"))
    #expect(errorMessage(["--seed", "-3"]).contains("--seed"))
    #expect(errorMessage(["--epochs", "many"]).contains("many"))
    #expect(errorMessage(["--figures", ""]) == "--figures needs a folder, got an empty path")
  }

  @Test func epochsDoNotApplyToAChapterWithoutTraining() {
    let untrained = ChapterDescription(number: 3, title: "Gate", abstract: "", defaultSeed: 0, defaultEpochs: nil)
    #expect(throws: (any Error).self) { try ChapterOptions.parse(["--epochs", "5"], for: untrained) }
    #expect(throws: Never.self) { try ChapterOptions.parse(["--quick"], for: untrained) }
  }

  @Test func helpDescribesTheChapter() {
    let help = ChapterDescription.$current.withValue(description) { ChapterOptions.helpMessage(columns: 100) }
    #expect(help.contains("Chapter 6: Expert regions"))
    #expect(help.contains("Which expert the gate picks, over the plane."))
    #expect(help.contains("chapter-06"))
    #expect(help.contains("(default: 7)"))
    #expect(help.contains("(default: 300)"))
    #expect(help.contains("Figures/chapter-06"))
  }

  @Test func helpIsACleanExit() {
    do {
      _ = try ChapterOptions.parse(["--help"], for: description)
      Issue.record("--help parsed as options")
    } catch {
      #expect(ChapterOptions.exitCode(for: error) == .success)
    }
  }

  @Test func commandNamesHaveTwoDigits() {
    #expect(twoDigits(6) == "06")
    #expect(twoDigits(12) == "12")
  }
}
