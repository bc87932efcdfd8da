import ArgumentParser
import Foundation
import LessonRendering

/// `render-lesson 6`: runs chapter 6 and writes its lesson page and notebook;
/// `render-lesson --check 6`: tells whether the committed page still matches main.swift.
@main
struct RenderLesson: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "render-lesson",
    abstract: "Render a chapter's lesson page (README.md) and notebook from main.swift and a run of it.",
    discussion: """
      Runs the chapter's built binary with LESSON_CELL_MARKERS=1 from the package root, assigns what \
      each cell printed to that cell, and writes Chapters/NN-Name/README.md and NN-Name.ipynb. With \
      --check, runs nothing: compares the committed README.md with main.swift cell by cell, and the \
      prose's numbers with the run's (as --check-numbers), and exits with status 1 when either is stale. \
      With --check-numbers, runs nothing either: lists every number the \
      prose quotes that neither the code nor the page's printed output \
      contains, and exits with status 1 when there is one.
      """)

  @Argument(help: "The chapter: its number (6) or its folder (Chapters/06-ExpertRegions).")
  var chapter: String

  @Option(help: "The chapter's executable (default: .build/release/chapter-NN under the package root).")
  var binary: String?

  @Flag(help: "Only check that the committed README.md matches main.swift; run nothing.")
  var check = false

  @Flag(help: "Only check that the numbers the prose quotes appear in the run's output; run nothing.")
  var checkNumbers = false

  func run() throws {
    let workingDirectory = FileManager.default.currentDirectoryPath
    do {
      let root = try ChapterFolder.packageRoot(from: workingDirectory)
      let folder = try ChapterFolder.find(chapter, root: root, workingDirectory: workingDirectory)
      if checkNumbers {
        let stale = try LessonRenderer.staleNumbers(chapter: folder)
        for number in stale { FileHandle.standardError.write(Data("error: \(number)\n".utf8)) }
        if !stale.isEmpty { Foundation.exit(1) }
        print("\(folder.relativePath): every number in the prose appears in the run")
        return
      }
      if check {
        if let difference = try LessonRenderer.check(chapter: folder) {
          fail("\(folder.relativePath)/README.md is stale: \(difference)\nrun: make lesson-\(folder.number)")
        }
        let stale = try LessonRenderer.staleNumbers(chapter: folder)
        if !stale.isEmpty { fail(stale.map(\.description).joined(separator: "\nerror: ")) }
        print("\(folder.relativePath)/README.md is up to date, and every number in its prose appears in the run")
        return
      }
      let executable = binary ?? root + "/.build/release/" + folder.productName
      let written = try LessonRenderer.write(chapter: folder, binary: executable)
      print("wrote \(relative(written.pagePath, to: root)) and \(relative(written.notebookPath, to: root))")
    } catch {
      fail(error.description)
    }
  }

  /// `path` relative to `root` when it lies inside it.
  func relative(_ path: String, to root: String) -> String {
    path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
  }

  /// Prints `error: <message>` on standard error and exits with status 1.
  func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("error: \(message)\n".utf8))
    Foundation.exit(1)
  }
}
