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

  /// A chapter whose values are set by hand rejects --seed, which would change nothing, and hides it.
  @Test func seedDoesNotApplyToAChapterWithoutRandomNumbers() {
    var fixed = ChapterDescription(number: 3, title: "Gate", abstract: "", defaultSeed: 0, defaultEpochs: nil)
    fixed.drawsRandomNumbers = false
    do {
      _ = try ChapterOptions.parse(["--seed", "3"], for: fixed)
      Issue.record("--seed was accepted")
    } catch {
      let message = ChapterDescription.$current.withValue(fixed) { ChapterOptions.message(for: error) }
      #expect(message == "chapter 3 draws no random numbers: --seed does not apply")
    }
    #expect(throws: Never.self) { try ChapterOptions.parse(["--quick"], for: fixed) }
    let help = ChapterDescription.$current.withValue(fixed) { ChapterOptions.helpMessage(columns: 100) }
    #expect(!help.contains("--seed"))
    #expect(AllChaptersRun.adapt(["--seed", "3", "--quick"], for: fixed).arguments == ["--quick"])
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

@Suite("Declared chapter options")
struct DeclaredOptionsTests {
  let description = ChapterDescription(
    number: 7, title: "Top-k routing", abstract: "Routing each token to k experts.", defaultSeed: 0,
    defaultEpochs: 100,
    declaredOptions: [
      .integer("experts", default: 8, in: 2...64, help: "Number of experts."),
      .decimal("capacity-factor", default: 1.25, in: 0.5...4, help: "Slots per expert, relative to an even share."),
    ])

  func chapter(_ arguments: [String]) throws -> Chapter {
    Chapter(description: description, options: try ChapterOptions.parse(arguments, for: description))
  }

  func errorMessage(_ arguments: [String]) -> String {
    do {
      _ = try ChapterOptions.parse(arguments, for: description)
      return "parsed without error"
    } catch {
      return ChapterDescription.$current.withValue(description) { ChapterOptions.message(for: error) }
    }
  }

  @Test func defaultsApplyWhenTheOptionsAreNotGiven() throws {
    let chapter = try chapter(["--quick"])
    #expect(chapter.integer("experts") == 8)
    #expect(chapter.decimal("capacity-factor") == 1.25)
    #expect(chapter.quick)
  }

  @Test func givenValuesWinInBothSpellingsBesideTheCommonOptions() throws {
    let chapter = try chapter(["--experts", "16", "--seed", "3", "--capacity-factor=2.5"])
    #expect(chapter.integer("experts") == 16)
    #expect(chapter.decimal("capacity-factor") == 2.5)
    #expect(chapter.seed == 3)
  }

  @Test(arguments: [
    (["--experts", "1"], "--experts must be an integer in 2...64, got '1'"),
    (["--experts", "eight"], "--experts must be an integer in 2...64, got 'eight'"),
    (["--capacity-factor=9"], "--capacity-factor must be a number in 0.5...4.0, got '9'"),
    (["--capacity-factor", "nan"], "--capacity-factor must be a number in 0.5...4.0, got 'nan'"),
    (["--experts", "4", "--experts", "5"], "--experts is given twice"),
    (["--experts"], "Missing value for '--experts <integer>'"),
    (["--bogus"], "Unknown option '--bogus'"),
  ])
  func badValuesGiveOneErrorLine(arguments: [String], message: String) {
    #expect(errorMessage(arguments) == message)
  }

  @Test func helpListsTheChapterOptionsWithDefaultsAndRanges() {
    let help = ChapterDescription.$current.withValue(description) { ChapterOptions.helpMessage(columns: 120) }
    #expect(help.contains("CHAPTER OPTIONS:"))
    #expect(help.contains("  --experts <integer>         Number of experts. (default: 8; 2...64)"))
    #expect(
      help.contains(
        "  --capacity-factor <number>  Slots per expert, relative to an even share. (default: 1.25; 0.5...4.0)"))
  }

  @Test func aChapterWithoutDeclaredOptionsStillRejectsUnknownOnes() {
    let plain = ChapterDescription(number: 3, title: "Gate", abstract: "", defaultSeed: 0, defaultEpochs: nil)
    #expect(throws: (any Error).self) { try ChapterOptions.parse(["--experts", "4"], for: plain) }
  }

  @Test func declarationsThatClashAreNamed() {
    #expect(
      DeclaredOptions.checkDeclarations([.integer("seed", default: 1, in: 0...2, help: "")])
        == "chapter option '--seed' is a common option already")
    #expect(
      DeclaredOptions.checkDeclarations([
        .integer("experts", default: 4, in: 2...8, help: ""), .integer("experts", default: 4, in: 2...8, help: ""),
      ]) == "chapter option '--experts' is declared twice")
    #expect(
      DeclaredOptions.checkDeclarations([.integer("experts", default: 1, in: 2...8, help: "")])
        == "chapter option '--experts': its default is outside its range")
    #expect(
      DeclaredOptions.checkDeclarations([.decimal("--rate", default: 1, in: 0...2, help: "")])
        == "chapter option '--rate' needs a plain name, without dashes or '='")
    #expect(DeclaredOptions.checkDeclarations([.integer("experts", default: 4, in: 2...8, help: "")]) == nil)
  }
}
