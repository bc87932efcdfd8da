import ArgumentParser
import Tensors

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a chapter says about itself: its number, title and abstract, and the defaults of its options.
struct ChapterDescription: Sendable {
  var number: Int
  var title: String
  var abstract: String
  var defaultSeed: UInt64
  var defaultEpochs: Int?
  /// False for a chapter that draws no random numbers (its values are set by hand): it rejects `--seed`.
  var drawsRandomNumbers = true
  /// The options the chapter declares beside the common ones.
  var declaredOptions: [ChapterOption] = []

  /// `chapter-06`: the executable's name, also used in usage lines.
  var commandName: String { "chapter-" + twoDigits(number) }
  /// `Figures/chapter-06`, relative to the working directory.
  var defaultFiguresFolder: String { "Figures/chapter-" + twoDigits(number) }

  /// The description that help texts and defaults read while the options are parsed.
  @TaskLocal static var current = ChapterDescription(
    number: 0, title: "", abstract: "", defaultSeed: 0, defaultEpochs: nil)
}

/// `6` -> `06`, `12` -> `12`.
func twoDigits(_ number: Int) -> String { number >= 0 && number < 10 ? "0\(number)" : "\(number)" }

/// The options every chapter takes. Help texts and defaults come from the chapter's description,
/// which `parse(_:for:)` binds while ArgumentParser reads them.
struct ChapterOptions: ParsableCommand {
  static var configuration: CommandConfiguration {
    let chapter = ChapterDescription.current
    return CommandConfiguration(
      commandName: chapter.commandName,
      abstract: "Chapter \(chapter.number): \(chapter.title)",
      discussion: [chapter.abstract, DeclaredOptions.helpSection(chapter.declaredOptions)]
        .filter { !$0.isEmpty }.joined(separator: "\n\n"))
  }

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Seed of every random number the chapter draws (default: \(ChapterDescription.current.defaultSeed)).",
      visibility: ChapterDescription.current.drawsRandomNumbers ? .default : .hidden))
  var seed: UInt64?

  @Flag(help: "A reduced run through the same code: smaller data and fewer epochs, for tests.")
  var quick = false

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Training epochs, a positive number (default: \(ChapterDescription.current.defaultEpochs.map(String.init) ?? "none")); --quick takes precedence.",
      visibility: ChapterDescription.current.defaultEpochs == nil ? .hidden : .default))
  var epochs: Int?

  @Option(
    help: ArgumentHelp(
      "Folder that receives the figures (default: \(ChapterDescription.current.defaultFiguresFolder)).",
      valueName: "folder"))
  var figures: String?

  /// Whatever the common options do not take: the chapter's declared options, read by `DeclaredOptions`.
  @Argument(parsing: .allUnrecognized, help: .hidden)
  var chapterArguments: [String] = []

  func validate() throws {
    let chapter = ChapterDescription.current
    do {
      _ = try DeclaredOptions.values(chapterArguments, declared: chapter.declaredOptions)
    } catch {
      throw ValidationError(error.message)
    }
    if seed != nil && !chapter.drawsRandomNumbers {
      throw ValidationError("chapter \(chapter.number) draws no random numbers: --seed does not apply")
    }
    if let epochs {
      if chapter.defaultEpochs == nil {
        throw ValidationError("chapter \(chapter.number) does not train: --epochs does not apply")
      }
      if epochs <= 0 {
        throw ValidationError("--epochs must be a positive number of epochs, got \(epochs)")
      }
    }
    if let figures, figures.isEmpty {
      throw ValidationError("--figures needs a folder, got an empty path")
    }
  }

  /// Parses `arguments` (without the program name) for `chapter`; throws what ArgumentParser throws,
  /// including its help and version requests.
  static func parse(_ arguments: [String], for chapter: ChapterDescription) throws -> ChapterOptions {
    try ChapterDescription.$current.withValue(chapter) { try parse(arguments) }
  }

  /// Parses `arguments` for `chapter`, or exits: help on standard output with status 0, an error and the
  /// usage on standard error with a non-zero status.
  static func parseOrExit(_ arguments: [String], for chapter: ChapterDescription) -> ChapterOptions {
    ChapterDescription.$current.withValue(chapter) {
      do {
        return try parse(arguments)
      } catch {
        // Help is a clean exit; every other error gets the course's own `error:` prefix (as a failed
        // figure write does), the usage, and ArgumentParser's exit status.
        let code = exitCode(for: error)
        if code == .success { exit(withError: error) }
        fflush(nil)
        writeToStandardError(
          "error: \(message(for: error))\n\(usageString())\n  See '\(chapter.commandName) --help' for more.\n")
        terminateProcess(status: code.rawValue)
      }
    }
  }
}
