import Foundation
import Testing

/// A chapter run's `report.json` (written by `chapter.report`): the results the chapter stands by, read
/// by key so that the tests check claims, not printed wording.
struct ChapterReportFile {
  let chapter: Int
  let seed: Int
  let quick: Bool
  let results: [String: Any]

  struct Unreadable: Error, CustomStringConvertible {
    var path: String
    var detail: String
    var description: String { "\(path): \(detail)" }
  }

  /// The report in `figures`, or an error naming the file and what is wrong with it.
  init(in figures: URL) throws {
    let path = figures.appendingPathComponent("report.json").path
    guard let data = FileManager.default.contents(atPath: path) else {
      throw Unreadable(path: path, detail: "no report was written")
    }
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
      let chapter = object["chapter"] as? Int, let seed = object["seed"] as? Int,
      let quick = object["quick"] as? Bool, let results = object["results"] as? [String: Any]
    else { throw Unreadable(path: path, detail: "not an object with chapter, seed, quick and results") }
    self.chapter = chapter
    self.seed = seed
    self.quick = quick
    self.results = results
  }

  func number(_ key: String) -> Double? { (results[key] as? NSNumber)?.doubleValue }
  func integer(_ key: String) -> Int? { results[key] as? Int }
  func flag(_ key: String) -> Bool? { results[key] as? Bool }
  func text(_ key: String) -> String? { results[key] as? String }
}

extension ChapterReportFile {
  /// An array of numbers, whether the report wrote them with decimals or as whole numbers.
  func numbers(_ key: String) -> [Double]? {
    (results[key] as? [Any])?.compactMap { ($0 as? NSNumber)?.doubleValue }
  }
}
