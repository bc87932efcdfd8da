import Support
import Testing

@testable import Lessons

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite("Chapter report")
struct ChapterReportTests {
  let description = ChapterDescription(
    number: 6, title: "Expert regions", abstract: "Which expert the gate picks.", defaultSeed: 7,
    defaultEpochs: 300)

  /// A chapter whose figures go to a fresh folder that does not exist yet.
  func chapter(_ arguments: [String] = []) throws -> Chapter {
    var template = Array("/tmp/report-tests-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
    let folder = String(cString: made!) + "/figures/chapter-06"
    return Chapter(
      description: description,
      options: try ChapterOptions.parse(arguments + ["--figures", folder], for: description))
  }

  @Test func reportHoldsTheRunAndTheValuesWithTheirPrintedDigits() throws {
    let chapter = try chapter(["--quick", "--seed", "42"])
    chapter.report("test accuracy", 0.91249, decimals: 3)
    chapter.report("loss", Float(0.5), decimals: 4)
    chapter.report("experts", 4)
    chapter.report("tokens per expert", [3, 0, 5])
    chapter.report("gate weights", [0.25, 0.75], decimals: 2)
    chapter.report("losses fell", true)
    chapter.report("winner", "expert 2")
    let expected = """
      {
       "chapter": 6,
       "quick": true,
       "results": {
        "experts": 4,
        "gate weights": [
         0.25,
         0.75
        ],
        "loss": 0.5000,
        "losses fell": true,
        "test accuracy": 0.912,
        "tokens per expert": [
         3,
         0,
         5
        ],
        "winner": "expert 2"
       },
       "seed": 42
      }

      """
    #expect(try AtomicFile.readText(chapter.reportPath) == expected)
  }

  @Test func everyCallRewritesTheFileSoNothingIsLostIfTheRunStops() throws {
    let chapter = try chapter()
    chapter.report("first", 1)
    let afterFirst = try AtomicFile.readText(chapter.reportPath)
    #expect(afterFirst.contains("\"first\": 1"))
    #expect(!afterFirst.contains("second"))
    chapter.report("second", 2)
    let afterSecond = try AtomicFile.readText(chapter.reportPath)
    #expect(afterSecond.contains("\"first\": 1") && afterSecond.contains("\"second\": 2"))
  }

  @Test func copiesOfAChapterShareOneReport() throws {
    let chapter = try chapter()
    let copy = chapter
    chapter.report("a", 1)
    copy.report("b", 2)
    #expect(chapter.results.snapshot() == ["a": .integer(1), "b": .integer(2)])
  }

  @Test func nonFiniteNumbersStayValidJSON() throws {
    let chapter = try chapter()
    chapter.report("diverged loss", Double.nan, decimals: 3)
    #expect(chapter.results.snapshot() == ["diverged loss": .string("nan")])
  }

  @Test func aKeyReportedTwiceOrAnEmptyKeyIsRejected() throws {
    let results = ReportResults()
    try results.add("accuracy", .integer(1))
    #expect(throws: ReportError(message: "report key 'accuracy' is reported twice")) {
      try results.add("accuracy", .integer(2))
    }
    #expect(throws: ReportError(message: "report key must not be empty")) { try results.add("", .null) }
  }
}
