import Foundation
import Testing

@testable import LessonRendering

/// The package's root folder, found from this file's location.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().path

@Suite("Committed lesson pages")
struct CommittedPagesTests {
  /// Every chapter whose README.md is committed: its prose and code must be those of its main.swift.
  @Test(arguments: ChapterFolder.all(root: packageRoot).filter { FileManager.default.fileExists(atPath: $0.pagePath) })
  func pageMatchesItsSource(chapter: ChapterFolder) throws {
    if let difference = try LessonRenderer.check(chapter: chapter) {
      Issue.record("\(chapter.relativePath)/README.md is stale: \(difference)\nrun: make lesson-\(chapter.number)")
    }
  }

  /// Every number the prose quotes is one the run printed (or reported, or the code holds), so an engine
  /// change that moves a result cannot leave a stale number in a lesson.
  @Test(arguments: ChapterFolder.all(root: packageRoot).filter { FileManager.default.fileExists(atPath: $0.pagePath) })
  func proseNumbersAppearInTheRun(chapter: ChapterFolder) throws {
    for stale in try LessonRenderer.staleNumbers(chapter: chapter) {
      Issue.record("\(stale)\nquote the printed number, or print it, then run: make lesson-\(chapter.number)")
    }
  }

  /// Every figure a committed page shows is in the lesson's own `figures/` folder, committed beside it.
  @Test(arguments: ChapterFolder.all(root: packageRoot).filter { FileManager.default.fileExists(atPath: $0.pagePath) })
  func pageFiguresAreBesideThePage(chapter: ChapterFolder) throws {
    for missing in try LessonRenderer.missingFigures(chapter: chapter) {
      Issue.record(
        "\(chapter.relativePath)/README.md shows \(missing), which is missing\nrun: make lesson-\(chapter.number)")
    }
  }
}
