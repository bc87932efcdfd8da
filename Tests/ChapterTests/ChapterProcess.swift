import ChapterProcessTesting
import Foundation
import Testing

/// A new empty folder under the temporary directory.
func temporaryFolder(_ label: String) throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  return folder
}

/// The first eight bytes of every PNG file.
let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

/// The bytes of `name`.png in `folder`, or nil when the file does not exist.
func figureBytes(_ folder: URL, _ name: String) -> [UInt8]? {
  FileManager.default.contents(atPath: folder.appendingPathComponent(name + ".png").path).map { [UInt8]($0) }
}

/// The number after `prefix` on the first line of `lines` that starts with it, e.g. `"... plane: "` -> 4.
func number(after prefix: String, in lines: [String]) -> Double? {
  guard let line = lines.first(where: { $0.hasPrefix(prefix) }) else { return nil }
  let rest = line.dropFirst(prefix.count).prefix { $0.isNumber || $0 == "." || $0 == "-" }
  return Double(rest)
}

/// The cells after `label` on the first line that starts with it, split at spaces: a row of a table
/// printed by `printTable`.
func tableRow(_ label: String, in lines: [String]) -> [String]? {
  guard let line = lines.first(where: { $0.hasPrefix(label) }) else { return nil }
  return line.dropFirst(label.count).split(separator: " ").map(String.init)
}

/// Runs chapter `number` with `options` into a new figures folder; expects exit status 0.
func runChapter(_ number: Int, _ options: [String]) throws -> (run: ChapterProcess.Run, figures: URL) {
  let figures = try temporaryFolder("chapter-\(number)-figures")
  let run = try ChapterProcess(chapter: number).run(options + ["--figures", figures.path])
  #expect(run.status == 0, "chapter \(number) exited with \(run.status): \(run.standardError)")
  return (run, figures)
}

/// Expects each figure to be announced on standard output and written as a PNG file.
func expectFigures(_ names: [String], in figures: URL, run: ChapterProcess.Run) {
  for name in names {
    let path = figures.appendingPathComponent(name + ".png").path
    #expect(run.lines.contains("figure: \(path)"), "no 'figure: \(path)' line")
    #expect(
      figureBytes(figures, name).map { Array($0.prefix(8)) } == pngSignature, "\(name).png is missing or not a PNG")
  }
}

/// Runs chapter `number` twice with `--quick` and the same seed: the same printed output (figure paths
/// aside) and byte-identical figures.
func expectSameOutputAndFiguresTwice(chapter number: Int, figures names: [String]) throws {
  let first = try runChapter(number, ["--quick"])
  let second = try runChapter(number, ["--quick"])
  #expect(
    first.run.standardOutput.replacingOccurrences(of: first.figures.path, with: "FIGURES")
      == second.run.standardOutput.replacingOccurrences(of: second.figures.path, with: "FIGURES"))
  for name in names {
    let a = try #require(figureBytes(first.figures, name))
    let b = try #require(figureBytes(second.figures, name))
    #expect(a == b, "\(name).png differs between two runs with the same seed")
  }
}
