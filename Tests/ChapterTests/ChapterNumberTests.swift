import Foundation
import Testing

/// `make chapter-N` resolves N through Scripts/chapter-number.sh: a chapter that does not exist, or a
/// word that is not a number, gets the list of chapters instead of a build error.
@Suite struct ChapterNumberTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// Runs the script with `argument`: its status, standard output and standard error.
  static func resolve(_ argument: String) throws -> (status: Int32, output: String, error: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["bash", repository.appendingPathComponent("Scripts/chapter-number.sh").path, argument]
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    try process.run()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = error.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self)
    )
  }

  static var existingChapters: [String] {
    let folders =
      (try? FileManager.default.contentsOfDirectory(atPath: repository.appendingPathComponent("Chapters").path)) ?? []
    return folders.filter { $0.first?.isNumber == true }.sorted()
  }

  @Test(arguments: ["1", "01", "6"])
  func existingChapterGivesItsTwoDigitNumber(argument: String) throws {
    let result = try Self.resolve(argument)
    #expect(result.status == 0)
    #expect(result.output == String(format: "%02d\n", Int(argument)!))
  }

  @Test(arguments: ["abc", "", "99", "7x"])
  func anythingElseListsTheChapters(argument: String) throws {
    let result = try Self.resolve(argument)
    #expect(result.status == 2)
    #expect(result.output.isEmpty)
    #expect(result.error.hasPrefix("error: "))
    let chapters = Self.existingChapters
    #expect(!chapters.isEmpty)
    for folder in chapters {
      let number = Int(folder.prefix(2))!
      #expect(result.error.contains("make chapter-\(number) "), "\(folder) is missing from:\n\(result.error)")
    }
  }
}
