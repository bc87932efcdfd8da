import Foundation
import Testing

@testable import LessonRendering

@Suite("Instrumentation")
struct InstrumentationTests {
  let chapter = """
    // %% [markdown]
    // # Title

    // %%
    let x = 1
    print("// %%")

    // %% [markdown]
    // Prose.
    // %%
    print(x)
    """

  @Test func keepsEveryLineOnItsNumber() {
    let original = chapter.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let copy = Instrumentation.instrument(chapter, originalPath: "/course/Chapters/03-Gate/main.swift")
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(copy.count == original.count)
    #expect(
      copy[0]
        == "import Lessons; LessonCell.begin(1); #sourceLocation(file: \"/course/Chapters/03-Gate/main.swift\", line: 2)"
    )
    for index in 1..<original.count {
      #expect(copy[index].hasSuffix(original[index]))
    }
    #expect(copy[3] == "LessonCell.begin(2); // %%")
    #expect(copy[7] == "LessonCell.begin(3); // %% [markdown]")
    #expect(copy[9] == "LessonCell.begin(4); // %%")
    #expect(copy[5] == "print(\"// %%\")")
  }

  @Test func aFirstLineOfCodeMovesDownBehindTheDirective() {
    let text = "import Lessons\n// %%\nprint(1)"
    let copy = Instrumentation.instrument(text, originalPath: "main.swift")
      .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(
      copy == [
        "import Lessons; #sourceLocation(file: \"main.swift\", line: 1)", "import Lessons",
        "LessonCell.begin(2); // %%", "print(1)",
      ])
  }

  @Test func aBlankFirstLineIsReplaced() {
    let copy = Instrumentation.instrument("\n// %%\nprint(1)\n", originalPath: "main.swift")
    #expect(
      copy == "import Lessons; #sourceLocation(file: \"main.swift\", line: 2)\nLessonCell.begin(1); // %%\nprint(1)\n")
  }

  @Test func pathsAreQuoted() {
    #expect(Instrumentation.quoted("a \"b\" \\c") == "\"a \\\"b\\\" \\\\c\"")
  }

  /// Compiles an instrumented copy against a stand-in `Lessons` module: the error must name the original
  /// file and line, and the binary must print the markers where the cells start.
  @Test func compilerErrorsPointAtTheOriginalFileAndLine() throws {
    let folder = try TemporaryFolder()
    let runtime = """
      public enum LessonCell { public static func begin(_ index: Int) { print("<cell \\(index)>") } }
      """
    try folder.write(runtime, to: "Lessons.swift")
    try #require(
      run("swiftc", ["-parse-as-library", "-emit-module", "-module-name", "Lessons", "Lessons.swift"], in: folder.path)
        .status == 0)

    let original = folder.path + "/Chapters/02-Experts/main.swift"
    let broken = "// %% [markdown]\n// Prose\n\n// %%\nlet a = 1\nlet b: Int = \"two\"\n"
    try folder.write(Instrumentation.instrument(broken, originalPath: original), to: "main.swift")
    let failure = run("swiftc", ["-typecheck", "-I", ".", "main.swift"], in: folder.path)
    #expect(failure.status != 0)
    #expect(failure.output.contains("\(original):6:"))
  }
}

/// A new folder under the temporary directory, removed when the value is released.
final class TemporaryFolder {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-rendering-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  func write(_ text: String, to name: String) throws {
    let url = URL(fileURLWithPath: path + "/" + name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }
}

/// Runs a program found on the PATH in `folder`; returns its exit status and its standard output and
/// error together.
func run(_ program: String, _ arguments: [String], in folder: String) -> (status: Int32, output: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [program] + arguments
  process.currentDirectoryURL = URL(fileURLWithPath: folder)
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = pipe
  do { try process.run() } catch { return (-1, "cannot run \(program): \(error)") }
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
