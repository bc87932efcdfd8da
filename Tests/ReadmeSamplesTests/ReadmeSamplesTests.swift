import ChapterProcessTesting
import Foundation
import LessonRendering
import MoE
import Testing

/// The README's Swift samples are the ones this target compiles (ReadmeSamples.swift, and the chapter
/// sample built as the executable `readme-chapter-sample`), and their comments that show output show
/// what they print.
@Suite struct ReadmeSamplesTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static func text(_ path: String) throws -> String {
    try String(contentsOf: repository.appendingPathComponent(path), encoding: .utf8)
  }

  /// The ```swift blocks of a Markdown text, each as its lines.
  static func swiftBlocks(of markdown: String) -> [[String]] {
    var blocks: [[String]] = []
    var current: [String]?
    for line in markdown.components(separatedBy: "\n") {
      if current == nil {
        if line == "```swift" { current = [] }
      } else if line == "```" {
        blocks.append(current!)
        current = nil
      } else {
        current!.append(line)
      }
    }
    return blocks
  }

  /// The samples of ReadmeSamples.swift: the lines between `// sample begins` and `// sample ends`,
  /// without the indentation of the marker.
  static func compiledSamples() throws -> [[String]] {
    var samples: [[String]] = []
    var current: [String]?
    var indentation = 0
    for line in try text("Tests/ReadmeSamplesTests/ReadmeSamples.swift").components(separatedBy: "\n") {
      let trimmed = line.drop { $0 == " " }
      if trimmed == "// sample begins" {
        current = []
        indentation = line.count - trimmed.count
      } else if trimmed == "// sample ends" {
        samples.append(current!)
        current = nil
      } else if current != nil {
        current!.append(String(line.dropFirst(min(indentation, line.prefix { $0 == " " }.count))))
      }
    }
    return samples
  }

  @Test func everySwiftSampleOfTheReadmeIsCompiledVerbatim() throws {
    let readme = try Self.text("README.md")
    let chapterSample = try Self.text("Tests/ReadmeChapterSample/main.swift").components(separatedBy: "\n")
    let compiled = try Self.compiledSamples()
    let blocks = Self.swiftBlocks(of: readme)
    #expect(blocks.count == compiled.count + 1, "README has \(blocks.count) Swift samples")
    var matchedChapter = false
    for block in blocks {
      if block + [""] == chapterSample || block == chapterSample {
        matchedChapter = true
        continue
      }
      let code = Array(block.filter { !$0.hasPrefix("import ") }.drop { $0.isEmpty })
      #expect(
        compiled.contains(code),
        "a README sample is not in ReadmeSamples.swift as written:\n\(block.joined(separator: "\n"))")
    }
    #expect(matchedChapter, "the README's chapter sample differs from Tests/ReadmeChapterSample/main.swift")
  }

  /// The mixture sample's last comment is what its `print` prints.
  @Test func theMixtureSampleShowsItsRealOutput() throws {
    let routing = try mixtureSample()
    let printed = "\(routing.tokensPerExpert) \(routing.computeFraction)"
    let line = try #require(
      try Self.compiledSamples().joined().first { $0.hasPrefix("print(routing.tokensPerExpert") })
    let comment = try #require(line.range(of: "// ").map { String(line[$0.upperBound...]) })
    #expect(comment == printed)
  }

  /// The chapter sample, followed as "Writing a chapter" says: in a scratch package root as
  /// `Chapters/20-FirstChapter/main.swift`, built (as `readme-chapter-sample`), run and rendered.
  @Test func theChapterSampleBuildsRunsAndRenders() throws {
    let executable = try ChapterProcess(product: "readme-chapter-sample").executable.path
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("readme-chapter-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = root.appendingPathComponent("Chapters/20-FirstChapter")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Data("// swift-tools-version: 6.0\n".utf8).write(to: root.appendingPathComponent("Package.swift"))
    try Data(try Self.text("Tests/ReadmeChapterSample/main.swift").utf8).write(
      to: folder.appendingPathComponent("main.swift"))

    let chapter = try #require(ChapterFolder(root: root.path, name: "20-FirstChapter"))
    _ = try LessonRenderer.write(chapter: chapter, binary: executable, arguments: ["--quick"])
    let page = try String(contentsOfFile: chapter.pagePath, encoding: .utf8)
    #expect(page.contains("# 20. A first chapter"))
    #expect(page.contains("epoch 0: MSE "), "the training cell's output is on the page")
    #expect(page.contains("![loss](figures/loss.png)"))
    #expect(FileManager.default.fileExists(atPath: chapter.figuresPath + "/loss.png"))
    #expect(try LessonRenderer.check(chapter: chapter) == nil, "the page matches its source")
    #expect(try LessonRenderer.staleNumbers(chapter: chapter).isEmpty)
  }
}
