import ChapterProcessTesting
import Foundation
import Testing

/// Chapter 7's claims, checked on the report of a quick run (`chapter-07 --quick`).
@Suite("Chapter 7: catastrophic forgetting")
struct Chapter07Tests {
  /// The three rows of the accuracy matrix recorded under `key`.
  func matrix(_ key: String, in report: ChapterReportFile) throws -> [[Double]] {
    try (1...3).map { row in
      let values = try #require(report.results["\(key) R row \(row)"] as? [NSNumber], "no row \(row) of \(key)")
      return values.map(\.doubleValue)
    }
  }

  @Test func quickRunKeepsItsClaims() throws {
    let (run, figures) = try runChapter(7, ["--quick"])
    expectFigures(["task-1-accuracy", "accuracy-matrices"], in: figures, run: run)
    let report = try ChapterReportFile(in: figures)
    #expect(report.quick)

    // The claim: the plain MLP forgets task 1 by more than the task-gated mixture given ids.
    let mlpDrop = try #require(report.number("MLP task 1 drop"))
    let mixtureDrop = try #require(report.number("mixture with ids task 1 drop"))
    #expect(mlpDrop > mixtureDrop, "MLP dropped \(mlpDrop), mixture \(mixtureDrop)")

    // Disjoint parameters and a fresh Adam per task: the mixture given ids forgets exactly nothing,
    // its columns are constant from the diagonal down and task 1's experts never change.
    let mixture = try matrix("mixture with ids", in: report)
    for task in 0..<3 {
      for later in task..<3 { #expect(mixture[later][task] == mixture[task][task], "R[\(later)][\(task)]") }
    }
    #expect(report.number("mixture with ids forgetting") == 0)
    #expect(report.number("mixture with ids backward transfer") == 0)
    #expect(report.flag("task 1 experts unchanged") == true)
    #expect(report.flag("memory mixture has the same experts") == true)

    // The summaries agree with the matrices they summarize (each rounded to 4 decimals).
    for key in ["MLP", "mixture with ids", "slide without ids", "classifier alone", "classifier with memory"] {
      let rows = try matrix(key, in: report)
      let average = rows[2].reduce(0, +) / 3
      let forgetting = (0..<2).map { j in max(rows[0][j], rows[1][j]) - rows[2][j] }.reduce(0, +) / 2
      let backward = (0..<2).map { j in rows[2][j] - rows[j][j] }.reduce(0, +) / 2
      #expect(abs(try #require(report.number("\(key) average accuracy")) - average) < 2e-4, "\(key)")
      #expect(abs(try #require(report.number("\(key) forgetting")) - forgetting) < 2e-4, "\(key)")
      #expect(abs(try #require(report.number("\(key) backward transfer")) - backward) < 2e-4, "\(key)")
      #expect(rows.allSatisfy { $0.allSatisfy { (0...1).contains($0) } }, "\(key)")
    }

    // The classifier trained on each task alone routes (nearly) everything to the last task; a
    // memory of earlier tasks gives a better router on task 1.
    let alone = try #require(report.results["routing accuracy alone"] as? [NSNumber]).map(\.doubleValue)
    let memory = try #require(report.results["routing accuracy with memory"] as? [NSNumber]).map(\.doubleValue)
    #expect(alone.count == 3 && memory.count == 3)
    #expect(memory[0] > alone[0], "task 1 routed correctly: alone \(alone[0]), with memory \(memory[0])")
    // One id for a batch that mixes tasks is worse than one id per input.
    let oneIdPerBatch = try #require(report.number("one id per batch accuracy"))
    let oneIdPerInput = try #require(report.number("one id per input accuracy"))
    #expect(oneIdPerBatch < oneIdPerInput)
    #expect(report.integer("mixture parameters")! > report.integer("MLP parameters")!)
  }

  @Test func quickRunIsDeterministic() throws {
    try expectSameOutputAndFiguresTwice(chapter: 7, figures: ["task-1-accuracy", "accuracy-matrices"])
  }
}
