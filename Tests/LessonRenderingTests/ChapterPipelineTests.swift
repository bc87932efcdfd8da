import Foundation
import Testing

@testable import LessonRendering

/// The path of an executable built beside the test bundle (`swift build` and `swift test` put every
/// product of the package in the same folder), or nil when it is not there.
func builtProduct(_ name: String) -> String? {
  let folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
  let path = folder + "/" + name
  return FileManager.default.isExecutableFile(atPath: path) ? path : nil
}

@Suite("Rendering a real chapter")
struct ChapterPipelineTests {
  /// Chapter 1's source in a scratch package root, so the run writes its figures there.
  func scratchRoot() throws -> TemporaryFolder {
    let root = try TemporaryFolder()
    try root.write("// swift-tools-version: 6.0\n", to: "Package.swift")
    let source = try String(contentsOfFile: packageRoot + "/Chapters/01-Introduction/main.swift", encoding: .utf8)
    try root.write(source, to: "Chapters/01-Introduction/main.swift")
    return root
  }

  @Test func chapterOneRendersWithItsOutputInTheRightCells() throws {
    let binary = try #require(builtProduct("chapter-01"), "chapter-01 is not built: run swift build first")
    let root = try scratchRoot()
    let chapter = try #require(ChapterFolder(root: root.path, name: "01-Introduction"))
    let run = try ChapterRun.capture(
      binary: binary, arguments: ["--quick"], workingDirectory: root.path, chapterName: chapter.productName)
    let source = try Files.readText(chapter.sourcePath)
    let (page, notebook) = try LessonRenderer.render(
      chapter: chapter, sourceText: source, capturedOutput: run.standardOutput, figureBytes: Files.readBytes)

    let cells = try CapturedOutput.split(run.standardOutput, cellCount: LiterateSource(text: source).cells.count)
    let sourceCells = try LiterateSource(text: source).cells
    #expect(cells.count == sourceCells.count)
    // Prose cells print nothing; the shapes belong to the code cell that prints them, and each figure
    // to the cell that saved it.
    for (index, cell) in sourceCells.enumerated() where cell.kind == .markdown { #expect(cells[index].isEmpty) }
    let shapes = try #require(cells.firstIndex { $0.contains { "\($0)".contains("mixture output:     [64, 5]") } })
    #expect(sourceCells[shapes].kind == .code)
    #expect(sourceCells[shapes].lines.joined(separator: "\n").contains("mixture output"))
    for name in ["regions", "loss"] {
      let saving = try #require(cells.firstIndex { $0.contains(.figure(path: "Figures/chapter-01/\(name).png")) })
      #expect(sourceCells[saving].lines.joined(separator: "\n").contains("name: \"\(name)\""))
      #expect(page.contains("![\(name)](figures/\(name).png)"))
    }
    #expect(page.contains("```text\ninput:              [64, 10]"))
    #expect(!page.contains("\u{1E}") && !notebook.contains("\u{1E}"))
    #expect(notebook.contains("\"image/png\": \"iVBORw0KGgo"))  // base64 of the PNG signature
    #expect(StalenessCheck.firstDifference(sourceText: source, pageText: page) == nil)
  }

  /// `make lesson-N` copies the run's figures into the lesson's own `figures/` folder, which the page
  /// links, and removes a copy the run no longer makes.
  @Test func writingALessonCopiesItsFiguresBesideThePage() throws {
    let binary = try #require(builtProduct("chapter-01"), "chapter-01 is not built: run swift build first")
    let root = try scratchRoot()
    let chapter = try #require(ChapterFolder(root: root.path, name: "01-Introduction"))
    try root.write("not a figure any more", to: "Chapters/01-Introduction/figures/old.png")
    _ = try LessonRenderer.write(chapter: chapter, binary: binary, arguments: ["--quick"])
    for name in ["regions", "loss"] {
      let copy = FileManager.default.contents(atPath: chapter.figuresPath + "/\(name).png")
      let original = FileManager.default.contents(atPath: root.path + "/Figures/chapter-01/\(name).png")
      #expect(copy != nil && copy == original, "\(name).png was not copied beside the page")
    }
    #expect(!FileManager.default.fileExists(atPath: chapter.figuresPath + "/old.png"))
    #expect(try LessonRenderer.missingFigures(chapter: chapter).isEmpty)
    try FileManager.default.removeItem(atPath: chapter.figuresPath + "/loss.png")
    #expect(try LessonRenderer.missingFigures(chapter: chapter) == ["figures/loss.png"])
  }

  @Test func aFailingRunNamesTheChapterAndShowsItsError() throws {
    let binary = try #require(builtProduct("chapter-01"), "chapter-01 is not built: run swift build first")
    let root = try scratchRoot()
    do {
      _ = try ChapterRun.capture(
        binary: binary, arguments: ["--epochs", "0"], workingDirectory: root.path, chapterName: "chapter-01")
      Issue.record("a bad option did not fail the run")
    } catch {
      #expect(error.description.hasPrefix("chapter-01 failed with exit status 64:\nerror: --epochs must be a positive"))
    }
  }

  @Test func aMissingBinarySaysHowToBuildIt() {
    #expect(
      throws: LessonError.runFailed(
        "no executable /nonexistent/chapter-09 for chapter-09: build it first (swift build -c release --product chapter-09)"
      )
    ) {
      try ChapterRun.capture(binary: "/nonexistent/chapter-09", workingDirectory: "/", chapterName: "chapter-09")
    }
  }
}
