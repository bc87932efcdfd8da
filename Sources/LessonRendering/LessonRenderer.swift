import Foundation

/// Renders a chapter's lesson page and notebook from its source and a captured run, and checks a
/// committed page against the source.
public enum LessonRenderer {
  /// The files written by `write`.
  public struct Written: Sendable {
    /// The lesson page, `Chapters/NN-Name/README.md`.
    public let pagePath: String
    /// The notebook, `Chapters/NN-Name/NN-Name.ipynb`.
    public let notebookPath: String
  }

  /// The page and notebook texts for `chapter`, from the text of its `main.swift` and the standard output
  /// of a run in `chapter.root` with cell markers. The page links each figure to the lesson's own copy,
  /// `figures/<name>.png` beside it (see `ChapterFolder.figuresPath`).
  ///
  /// - Parameter figureBytes: reads a figure's PNG, given its path resolved against the root.
  public static func render(
    chapter: ChapterFolder, sourceText: String, capturedOutput: String,
    figureBytes: (String) throws(LessonError) -> [UInt8]
  ) throws(LessonError) -> (page: String, notebook: String) {
    let cells = LiterateSource(text: sourceText).cells
    let outputs = try CapturedOutput.split(capturedOutput, cellCount: cells.count)
    let page = LessonPage.render(cells: cells, outputs: outputs, chapterNumber: chapter.number) { figure in
      lessonFigureLink(figure)
    }
    let notebook = try Notebook.render(cells: cells, outputs: outputs, readingNote: readingNote(chapter)) {
      (figure) throws(LessonError) in
      try figureBytes(Paths.resolve(figure, against: chapter.root))
    }
    return (page, notebook)
  }

  /// The notebook's first cell: it is for reading, and how to run the chapter instead.
  static func readingNote(_ chapter: ChapterFolder) -> [String] {
    let folder = "Figures/chapter-" + (chapter.number < 10 ? "0" : "") + String(chapter.number)
    return [
      "> **For reading.** This notebook is chapter \(chapter.number)'s lesson with the printed output and the",
      "> figures of its canonical run filled in. Its code is Swift, for which Jupyter has no kernel here:",
      "> to run the chapter, use `make chapter-\(chapter.number)` in the course's repository (the source is",
      "> `\(chapter.relativePath)/main.swift`); the run writes its figures to `\(folder)/`.",
    ]
  }

  /// `Figures/chapter-06/regions.png` -> `figures/regions.png`: where the page finds its copy.
  static func lessonFigureLink(_ figure: String) -> String {
    "figures/" + (figure.split(separator: "/").last.map(String.init) ?? figure)
  }

  /// Runs `binary` for `chapter` and writes its `README.md` and notebook, and copies the figures the run
  /// saved into the lesson's `figures/` folder (removing copies the run no longer makes).
  ///
  /// - Parameter arguments: the chapter's options; the canonical run that a committed page shows has none.
  public static func write(chapter: ChapterFolder, binary: String, arguments: [String] = []) throws(LessonError)
    -> Written
  {
    let sourceText = try Files.readText(chapter.sourcePath)
    let run = try ChapterRun.capture(
      binary: binary, arguments: arguments, workingDirectory: chapter.root, chapterName: chapter.productName)
    let (page, notebook) = try render(
      chapter: chapter, sourceText: sourceText, capturedOutput: run.standardOutput, figureBytes: Files.readBytes)
    let cellCount = LiterateSource(text: sourceText).cells.count
    let figures = try CapturedOutput.split(run.standardOutput, cellCount: cellCount).flatMap { $0 }.compactMap {
      item -> String? in
      if case .figure(let path) = item { return path }
      return nil
    }
    try copyFigures(figures, of: chapter)
    try Files.writeAtomically(page, to: chapter.pagePath)
    try Files.writeAtomically(notebook, to: chapter.notebookPath)
    return Written(pagePath: chapter.pagePath, notebookPath: chapter.notebookPath)
  }

  /// Copies each of `figures` (paths as the run printed them, relative to the root) to
  /// `chapter.figuresPath`, then removes the PNGs there that are not among them.
  static func copyFigures(_ figures: [String], of chapter: ChapterFolder) throws(LessonError) {
    var kept: Set<String> = []
    for figure in figures {
      let link = lessonFigureLink(figure)
      let bytes = try Files.readBytes(Paths.resolve(figure, against: chapter.root))
      try Files.writeAtomically(bytes, to: chapter.path + "/" + link)
      kept.insert(String(link.dropFirst("figures/".count)))
    }
    let existing = (try? FileManager.default.contentsOfDirectory(atPath: chapter.figuresPath)) ?? []
    for name in existing where name.hasSuffix(".png") && !kept.contains(name) {
      try? FileManager.default.removeItem(atPath: chapter.figuresPath + "/" + name)
    }
  }

  /// The figures the committed page of `chapter` links (`figures/<name>.png`) that its `figures/`
  /// folder lacks.
  public static func missingFigures(chapter: ChapterFolder) throws(LessonError) -> [String] {
    let page = try Files.readText(chapter.pagePath)
    var missing: [String] = []
    for line in page.split(separator: "\n") where line.hasPrefix("![") {
      guard let open = line.firstIndex(of: "("), line.hasSuffix(")") else { continue }
      let link = String(line[line.index(after: open)..<line.index(before: line.endIndex)])
      if !FileManager.default.fileExists(atPath: chapter.path + "/" + link) { missing.append(link) }
    }
    return missing
  }

  /// The first difference between the committed `README.md` of `chapter` and its `main.swift`, or nil
  /// when the page is up to date. Throws when either file cannot be read.
  public static func check(chapter: ChapterFolder) throws(LessonError) -> PageDifference? {
    let sourceText = try Files.readText(chapter.sourcePath)
    let pageText = try Files.readText(chapter.pagePath)
    return StalenessCheck.firstDifference(sourceText: sourceText, pageText: pageText)
  }
}
