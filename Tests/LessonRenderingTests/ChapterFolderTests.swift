import Foundation
import Testing

@testable import LessonRendering

@Suite("Paths and chapter folders")
struct ChapterFolderTests {
  @Test func relativePaths() {
    #expect(
      Paths.relative(from: "/r/Chapters/01-Intro", to: "/r/Figures/chapter-01/loss.png")
        == "../../Figures/chapter-01/loss.png")
    #expect(Paths.relative(from: "Chapters/01-Intro", to: "Chapters/01-Intro/a.png") == "a.png")
    #expect(Paths.resolve("Figures/x.png", against: "/r") == "/r/Figures/x.png")
    #expect(Paths.resolve("/abs/x.png", against: "/r") == "/abs/x.png")
    #expect(Paths.normalize("/r/./a/../b//c/") == "/r/b/c")
  }

  @Test func folderNamesCarryTheNumber() throws {
    let folder = try #require(ChapterFolder(root: "/r", name: "06-ExpertRegions"))
    #expect(folder.number == 6)
    #expect(folder.productName == "chapter-06")
    #expect(folder.pagePath == "/r/Chapters/06-ExpertRegions/README.md")
    #expect(folder.notebookPath == "/r/Chapters/06-ExpertRegions/06-ExpertRegions.ipynb")
    #expect(ChapterFolder(root: "/r", name: "Notes") == nil)
    #expect(ChapterFolder(root: "/r", name: "06Regions") == nil)
  }

  @Test func findsChaptersByNumberNameOrPath() throws {
    let root = try TemporaryFolder()
    try root.write("// swift-tools-version: 6.0\n", to: "Package.swift")
    try root.write("// %%\n", to: "Chapters/01-Introduction/main.swift")
    try root.write("// %%\n", to: "Chapters/12-Hierarchy/main.swift")
    try FileManager.default.createDirectory(atPath: root.path + "/Chapters/13-Empty", withIntermediateDirectories: true)

    #expect(ChapterFolder.all(root: root.path).map(\.name) == ["01-Introduction", "12-Hierarchy"])
    #expect(try ChapterFolder.find("1", root: root.path, workingDirectory: root.path).name == "01-Introduction")
    #expect(try ChapterFolder.find("12", root: root.path, workingDirectory: "/elsewhere").name == "12-Hierarchy")
    #expect(try ChapterFolder.find("Chapters/12-Hierarchy/", root: root.path, workingDirectory: root.path).number == 12)
    #expect(try ChapterFolder.find("12-Hierarchy", root: root.path, workingDirectory: "/").number == 12)
    #expect(throws: LessonError.self) { try ChapterFolder.find("13", root: root.path, workingDirectory: root.path) }
    #expect(throws: LessonError.self) { try ChapterFolder.find("Nope", root: root.path, workingDirectory: root.path) }
    #expect(try ChapterFolder.packageRoot(from: root.path + "/Chapters/01-Introduction") == root.path)
  }
}
