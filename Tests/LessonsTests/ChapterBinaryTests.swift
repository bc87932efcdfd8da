import ChapterProcessTesting
import Foundation
import Testing

/// Runs the built chapter-01 executable the way a student or the renderer does.
@Suite("Chapter executable")
struct ChapterBinaryTests {
  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
  /// Chapter 1's literate source in this checkout.
  static let chapterSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Chapters/01-Introduction/main.swift").path

  func temporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("chapter-tests-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }

  /// Runs chapter-01 in `folder`, or in a scratch folder removed afterwards.
  func run(_ arguments: [String], markers: Bool = false, in folder: String? = nil) throws -> ChapterProcess.Run {
    let scratch = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: scratch) }
    return try ChapterProcess(chapter: 1).run(
      arguments, markers: markers, workingDirectory: URL(fileURLWithPath: folder ?? scratch))
  }

  @Test func quickRunPrintsItsResultsAndWritesAValidPNG() throws {
    let figures = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: figures) }
    let result = try run(["--quick", "--figures", figures + "/nested"])
    #expect(result.status == 0)
    #expect(result.standardError.isEmpty)
    #expect(result.standardOutput.contains("mixture output:     [64, 5]"))
    #expect(result.standardOutput.contains("parameters: one expert 325, gate 33, mixture 1008 (= 3 * 325 + 33)"))
    #expect(result.standardOutput.contains("epoch 1: training MSE "))
    for name in ["regions", "loss"] {
      #expect(result.standardOutput.contains("figure: \(figures)/nested/\(name).png\n"))
      let png = try #require(FileManager.default.contents(atPath: figures + "/nested/\(name).png"))
      #expect(Array(png.prefix(8)) == Self.pngSignature)
    }
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: figures + "/nested").sorted() == [
        "loss.png", "regions.png", "report.json",
      ])
  }

  @Test func sameSeedSameOutputAndSameBytes() throws {
    let first = try temporaryFolder()
    let second = try temporaryFolder()
    defer {
      try? FileManager.default.removeItem(atPath: first)
      try? FileManager.default.removeItem(atPath: second)
    }
    let a = try run(["--quick", "--seed", "7", "--figures", first])
    let b = try run(["--quick", "--seed", "7", "--figures", second])
    #expect(a.status == 0 && b.status == 0)
    #expect(
      a.standardOutput.replacingOccurrences(of: first, with: "")
        == b.standardOutput.replacingOccurrences(of: second, with: ""))
    #expect(
      FileManager.default.contents(atPath: first + "/loss.png")
        == FileManager.default.contents(atPath: second + "/loss.png"))

    let other = try run(["--quick", "--seed", "8", "--figures", second])
    #expect(
      other.standardOutput.replacingOccurrences(of: second, with: "")
        != a.standardOutput.replacingOccurrences(of: first, with: ""))
  }

  @Test func defaultFiguresFolderIsRelativeToTheWorkingDirectory() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let result = try run(["--quick"], in: folder)
    #expect(result.standardOutput.contains("figure: Figures/chapter-01/loss.png\n"))
    #expect(FileManager.default.fileExists(atPath: folder + "/Figures/chapter-01/loss.png"))
  }

  @Test func cellMarkersOnlyInCaptureModeAndNoTerminalControlWhenPiped() throws {
    let figures = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: figures) }
    let plain = try run(["--quick", "--figures", figures])
    #expect(!plain.standardOutput.contains("\u{1E}"))
    #expect(!plain.standardOutput.contains("\r") && !plain.standardOutput.contains("\u{1B}"))
    #expect(!plain.standardError.contains("\r"))

    let captured = try run(["--quick", "--figures", figures], markers: true)
    let markers = captured.standardOutput.split(separator: "\n").filter { $0.hasPrefix("\u{1E}") }
    // One marker per cell of the source, in order.
    let source = try String(contentsOfFile: Self.chapterSource, encoding: .utf8)
    let cellCount = source.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("// %%") }
      .count
    #expect(cellCount > 4)
    #expect(markers == (1...cellCount).map { "\u{1E}lesson-cell \($0)\u{1E}" })
    #expect(captured.standardOutput.replacingOccurrences(of: "\u{1E}lesson-cell ", with: "").count > 0)
  }

  @Test func helpDescribesTheChapterAndExitsZero() throws {
    let result = try run(["--help"])
    #expect(result.status == 0)
    #expect(result.standardOutput.contains("Chapter 1: Introduction: the whole mixture"))
    #expect(result.standardOutput.contains("USAGE: chapter-01"))
    #expect(result.standardOutput.contains("--epochs"))
  }

  @Test(arguments: [
    (["--epochs", "-1"], "error: --epochs must be a positive number of epochs, got -1"),
    (["--epochs", "0"], "error: --epochs must be a positive number of epochs, got 0"),
    (["--bogus"], "error: Unknown option '--bogus'"),
    (["--seed", "minus"], "error: The value 'minus' is invalid for '--seed <seed>'"),
    (["--figures", "/proc/nope"], "error: cannot write figures to '/proc/nope': "),
  ])
  func badInputStopsWithOneErrorLine(arguments: [String], message: String) throws {
    let result = try run(arguments)
    #expect(result.status != 0)
    #expect(result.standardOutput.isEmpty)
    #expect(result.standardError.hasPrefix(message))
    for trace in ["Fatal error", "Stack dump", "Backtrace", "Crash"] { #expect(!result.standardError.contains(trace)) }
  }

  @Test func figuresUnderARegularFileAreRefused() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    _ = FileManager.default.createFile(atPath: folder + "/plain", contents: Data("x".utf8))
    let result = try run(["--quick", "--figures", folder + "/plain/figures"])
    #expect(result.status == 1)
    #expect(
      result.standardError
        == "error: cannot write figures to '\(folder)/plain/figures': '\(folder)/plain' exists and is not a folder\n")
  }
}
