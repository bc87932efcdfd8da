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
  /// of a run in `chapter.root` with cell markers.
  ///
  /// - Parameter figureBytes: reads a figure's PNG, given its path resolved against the root.
  public static func render(
    chapter: ChapterFolder, sourceText: String, capturedOutput: String,
    figureBytes: (String) throws(LessonError) -> [UInt8]
  ) throws(LessonError) -> (page: String, notebook: String) {
    let cells = LiterateSource(text: sourceText).cells
    let outputs = try CapturedOutput.split(capturedOutput, cellCount: cells.count)
    let page = LessonPage.render(cells: cells, outputs: outputs, chapterNumber: chapter.number) { figure in
      Paths.relative(from: chapter.path, to: Paths.resolve(figure, against: chapter.root))
    }
    let notebook = try Notebook.render(cells: cells, outputs: outputs) { (figure) throws(LessonError) in
      try figureBytes(Paths.resolve(figure, against: chapter.root))
    }
    return (page, notebook)
  }

  /// Runs `binary` for `chapter` and writes its `README.md` and notebook.
  public static func write(chapter: ChapterFolder, binary: String) throws(LessonError) -> Written {
    let sourceText = try Files.readText(chapter.sourcePath)
    let run = try ChapterRun.capture(binary: binary, workingDirectory: chapter.root, chapterName: chapter.productName)
    let (page, notebook) = try render(
      chapter: chapter, sourceText: sourceText, capturedOutput: run.standardOutput, figureBytes: Files.readBytes)
    try Files.writeAtomically(page, to: chapter.pagePath)
    try Files.writeAtomically(notebook, to: chapter.notebookPath)
    return Written(pagePath: chapter.pagePath, notebookPath: chapter.notebookPath)
  }

  /// The first difference between the committed `README.md` of `chapter` and its `main.swift`, or nil
  /// when the page is up to date. Throws when either file cannot be read.
  public static func check(chapter: ChapterFolder) throws(LessonError) -> PageDifference? {
    let sourceText = try Files.readText(chapter.sourcePath)
    let pageText = try Files.readText(chapter.pagePath)
    return StalenessCheck.firstDifference(sourceText: sourceText, pageText: pageText)
  }
}
