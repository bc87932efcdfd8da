import ChapterProcessTesting
import Foundation
import Testing

/// A run a student makes (other options, default figures folder, from the package root) writes only
/// files git ignores, and leaves the figures the lesson page shows as they were.
@Suite struct StudentRunTests {
  static let repository = ChapterNumberTests.repository

  /// Runs git in the repository; nil when there is no git or no repository (a source archive).
  static func git(_ arguments: [String]) -> (status: Int32, output: String)? {
    guard FileManager.default.fileExists(atPath: repository.appendingPathComponent(".git").path) else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["git", "-C", repository.path] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  @Test func aRunWithOtherOptionsChangesNothingTheRepositoryHolds() throws {
    guard Self.git(["rev-parse", "--git-dir"])?.status == 0 else {
      print("skipped: not a git checkout")
      return
    }
    let lessonFigures = Self.repository.appendingPathComponent("Chapters/05-Training/figures")
    let names = try FileManager.default.contentsOfDirectory(atPath: lessonFigures.path).filter { $0.hasSuffix(".png") }
    #expect(!names.isEmpty, "the lesson has no figures of its own")
    let before = names.map { FileManager.default.contents(atPath: lessonFigures.appendingPathComponent($0).path) }

    let run = try ChapterProcess(chapter: 5).run(["--quick", "--seed", "3"], workingDirectory: Self.repository)
    #expect(run.status == 0, "chapter 5 exited with \(run.status): \(run.standardError)")
    let written = run.lines.filter { $0.hasPrefix("figure: ") }.map { String($0.dropFirst("figure: ".count)) }
    #expect(written == ["Figures/chapter-05/loss-curves.png"], "the run says where its figure is")

    for path in written + ["Figures/chapter-05/report.json"] {
      #expect(FileManager.default.fileExists(atPath: Self.repository.appendingPathComponent(path).path))
      #expect(Self.git(["check-ignore", "-q", path])?.status == 0, "\(path) is not ignored by git")
    }
    let after = names.map { FileManager.default.contents(atPath: lessonFigures.appendingPathComponent($0).path) }
    #expect(before == after, "the run changed the lesson's own figures")
  }
}
