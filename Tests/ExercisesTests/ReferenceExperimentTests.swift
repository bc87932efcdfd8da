import Chapter01Checks
import Chapter04Checks
import ChapterProcessTesting
import Foundation
import Testing

/// The experiment exercises rerun the lesson's experiment inside the checker. These tests prove
/// that the rerun reproduces the chapter: with the lesson's own setting, the checker's reference
/// gives the number the chapter's `--quick` run reports.
@Suite struct ReferenceExperimentTests {
  @Test func chapter01ReferenceReproducesTheQuickRun() throws {
    let report = try quickReport(chapter: 1)
    let reported = try #require(report["validation MSE of the mixture"] as? NSNumber).doubleValue
    #expect(abs(Double(try quadrantValidationMSE(experts: 4)) - reported) <= 1e-4)
  }

  @Test func chapter04ReferenceReproducesTheQuickRun() throws {
    let report = try quickReport(chapter: 4)
    let reported = try #require(report["mixture MSE"] as? NSNumber).doubleValue
    #expect(abs(Double(try combinedMixtureError(temperature: 0.1)) - reported) <= 1e-4)
  }
}

/// The `results` of a `--quick` run's report.json.
func quickReport(chapter: Int) throws -> [String: Any] {
  let figures = FileManager.default.temporaryDirectory.appendingPathComponent(
    "exercises-reference-\(chapter)-\(UUID())")
  defer { try? FileManager.default.removeItem(at: figures) }
  let run = try ChapterProcess(chapter: chapter).run(["--quick", "--figures", figures.path])
  #expect(run.status == 0, "chapter \(chapter) exited with \(run.status): \(run.standardError)")
  let data = try #require(FileManager.default.contents(atPath: figures.appendingPathComponent("report.json").path))
  let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  return try #require(object["results"] as? [String: Any])
}
