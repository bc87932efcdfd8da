import Tensors

/// A running chapter: its options, read from the command line, and what it does with them.
///
/// A chapter's `main.swift` starts with one:
///
///     import Lessons
///
///     let chapter = Chapter(
///       number: 6, title: "Expert regions",
///       abstract: "Which expert the gate picks, drawn over the input plane.", defaultEpochs: 300)
///     var generator = SeededGenerator(seed: chapter.seed)
///     let epochs = chapter.epochs(quick: 20)
///
/// Every chapter then takes `--seed N`, `--quick`, `--epochs N`, `--figures DIR` and `--help`. Bad
/// options stop the program before it trains, with one error line, the usage and a non-zero status.
public struct Chapter: Sendable {
  /// The chapter's number, as in `chapter-06` and `Figures/chapter-06/`.
  public let number: Int
  /// The chapter's title, shown by `--help`.
  public let title: String
  /// One paragraph on what the chapter shows, shown by `--help`.
  public let abstract: String
  /// The seed of the chapter's random numbers: `--seed`, else the chapter's default.
  public let seed: UInt64
  /// True for a reduced run (`--quick`): smaller data and fewer epochs, through the same code.
  public let quick: Bool
  /// The folder that receives the figures: `--figures`, else `Figures/chapter-NN` (relative to the
  /// working directory). It exists and is writable once `init` returns.
  public let figuresFolder: String
  /// `--epochs`, when given.
  let requestedEpochs: Int?
  /// The chapter's full number of epochs, or nil when it does not train.
  let defaultEpochs: Int?
  /// The values of the chapter's declared options, by name.
  let declaredValues: [String: ChapterOptionValue]
  /// What `report(_:_:)` has recorded, shared by every copy of this chapter.
  let results = ReportResults()

  /// Reads the chapter's options from the command line, or exits: `--help` prints the chapter's title,
  /// abstract and options (status 0); a bad option prints one error line and the usage (non-zero status);
  /// a figures folder that cannot be created or written prints
  /// `error: cannot write figures to '<folder>': <reason>` (status 1).
  ///
  /// - Parameters:
  ///   - defaultSeed: the seed when `--seed` is not given.
  ///   - defaultEpochs: the full run's number of epochs; nil for a chapter that does not train, which then
  ///     rejects `--epochs`.
  ///   - drawsRandomNumbers: false for a chapter whose values are all set by hand, which then rejects
  ///     `--seed` (it would change nothing).
  ///   - options: the chapter's own options beside the common ones (see `ChapterOption`); read them with
  ///     `integer(_:)` and `decimal(_:)`.
  public init(
    number: Int, title: String, abstract: String, defaultSeed: UInt64 = 0, defaultEpochs: Int? = nil,
    drawsRandomNumbers: Bool = true, options declared: [ChapterOption] = []
  ) {
    if let mistake = DeclaredOptions.checkDeclarations(declared) { lessonFailure(mistake) }
    let description = ChapterDescription(
      number: number, title: title, abstract: abstract, defaultSeed: defaultSeed, defaultEpochs: defaultEpochs,
      drawsRandomNumbers: drawsRandomNumbers, declaredOptions: declared)
    var arguments = Array(CommandLine.arguments.dropFirst())
    if Terminal.environment(AllChaptersRun.variable) == "1" {
      let adapted = AllChaptersRun.adapt(arguments, for: description)
      arguments = adapted.arguments
      for note in adapted.notes { writeToStandardError("note: \(note)\n") }
    }
    let options = ChapterOptions.parseOrExit(arguments, for: description)
    self.init(description: description, options: options)
    do {
      try FiguresFolder.prepare(figuresFolder)
    } catch {
      lessonFailure(error.description)
    }
  }

  /// A chapter with already parsed options; nothing is created on disk.
  init(description: ChapterDescription, options: ChapterOptions) {
    number = description.number
    title = description.title
    abstract = description.abstract
    seed = options.seed ?? description.defaultSeed
    quick = options.quick
    figuresFolder = options.figures ?? description.defaultFiguresFolder
    requestedEpochs = options.epochs
    defaultEpochs = description.defaultEpochs
    // `ChapterOptions.validate` has read the same arguments without error.
    declaredValues =
      (try? DeclaredOptions.values(options.chapterArguments, declared: description.declaredOptions)) ?? [:]
  }

  /// The value of the declared whole-number option `name`: from the command line, else its default.
  /// A name the chapter did not declare as an integer stops it with one error line.
  public func integer(_ name: String) -> Int {
    guard case .integer(let value) = declaredValues[name] else {
      lessonFailure("chapter \(number) reads --\(name) as an integer but declares no such integer option")
    }
    return value
  }

  /// The value of the declared decimal option `name` (see `integer(_:)`).
  public func decimal(_ name: String) -> Double {
    guard case .number(let value) = declaredValues[name] else {
      lessonFailure("chapter \(number) reads --\(name) as a decimal but declares no such decimal option")
    }
    return value
  }

  /// The number of epochs to train: `quickEpochs` with `--quick`, else `--epochs`, else the chapter's
  /// `defaultEpochs`.
  public func epochs(quick quickEpochs: Int) -> Int {
    if quick { return quickEpochs }
    if let requestedEpochs { return requestedEpochs }
    guard let defaultEpochs else {
      lessonFailure("chapter \(number) asks for epochs but gives no defaultEpochs in Chapter(...)")
    }
    return defaultEpochs
  }
}
