import Foundation
import Testing

/// `make` builds through Scripts/swift.sh, which leaves out the `#fileID` warning of the chapters'
/// `#sourceLocation` and keeps make's command-line variables out of swift's environment. The tests run
/// the script with a stand-in for swift (`SWIFT=...`) that prints a real chapter build's lines.
@Suite struct SwiftScriptTests {
  /// What swift prints when it compiles a chapter, warning and excerpt included.
  static let chapterBuild = """
    [4/6] Compiling chapter_05 BuildAnchor.swift
    /repo/.build/plugins/outputs/repo/chapter-05/destination/LiterateChapterPlugin/main.swift:1:60: \
    warning: '#sourceLocation' directive produces '#fileID' string of 'chapter_05/main.swift', which \
    conflicts with '#fileID' strings produced by other paths in the module
      1 | import Lessons; LessonCell.begin(1); #sourceLocation(file: "/repo/Chapters/05-Training/main.swift", line: 2)
        |                                                            |- warning: '#sourceLocation' directive produces
        |                                                            `- note: change file in '#sourceLocation' to '/repo/x'
      2 | // # 5. Training
      3 | //
    /repo/Chapters/05-Training/main.swift:12:7: warning: initialization of immutable value 'x' was never used
     12 | let x = 1
        |     `- warning: initialization of immutable value 'x' was never used
    [4/6] Write Objects.LinkFileList
    Build of product 'chapter-05' complete! (5.42s)

    """

  /// Runs Scripts/swift.sh with a stand-in swift that prints `output`, saves its environment and
  /// exits with `status`.
  static func run(
    printing output: String, status: Int32 = 0, environment: [String: String] = [:], arguments: [String] = ["build"]
  ) throws -> (status: Int32, output: String, environment: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("swift-script-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    try output.write(to: folder.appendingPathComponent("output.txt"), atomically: true, encoding: .utf8)
    let standIn = folder.appendingPathComponent("swift")
    try """
    #!/usr/bin/env bash
    env > "\(folder.path)/environment.txt"
    cat "\(folder.path)/output.txt"
    exit \(status)

    """.write(to: standIn, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: standIn.path)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments =
      ["bash", ChapterNumberTests.repository.appendingPathComponent("Scripts/swift.sh").path] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }.merging([
      "SWIFT": standIn.path
    ]) { $1 }
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let environment = (try? String(contentsOf: folder.appendingPathComponent("environment.txt"), encoding: .utf8)) ?? ""
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), environment)
  }

  @Test func dropsOnlyTheChaptersFileIDWarning() throws {
    let result = try Self.run(printing: Self.chapterBuild)
    #expect(result.status == 0)
    #expect(
      result.output == """
        [4/6] Compiling chapter_05 main.swift
        /repo/Chapters/05-Training/main.swift:12:7: warning: initialization of immutable value 'x' was never used
         12 | let x = 1
            |     `- warning: initialization of immutable value 'x' was never used
        [4/6] Write Objects.LinkFileList
        Build of product 'chapter-05' complete! (5.42s)

        """)
  }

  @Test func keepsSwiftsExitStatus() throws {
    let result = try Self.run(printing: "error: something failed\n", status: 1)
    #expect(result.status == 1)
    #expect(result.output == "error: something failed\n")
  }

  @Test func buildsWithoutMakesCommandLineVariables() throws {
    let result = try Self.run(
      printing: "",
      environment: [
        "MAKEFLAGS": "s -- ARGS=--quick\\ --seed\\ 3 CONFIG=release", "ARGS": "--quick --seed 3",
        "CONFIG": "release", "MAKELEVEL": "1", "KEPT_VARIABLE": "yes",
      ])
    let lines = Set(result.environment.split(separator: "\n").map(String.init))
    #expect(lines.contains("KEPT_VARIABLE=yes"))
    for name in ["MAKEFLAGS", "ARGS", "CONFIG", "MAKELEVEL"] {
      #expect(!lines.contains { $0.hasPrefix(name + "=") }, "\(name) reached swift")
    }
  }
}
