/// What a cell printed while it ran, in order: runs of text and the figures it saved.
public enum CellOutputItem: Equatable, Sendable {
  /// Printed lines, without blank lines at either end.
  case text(String)
  /// A figure the cell saved (`figure: <path>`), with the path as printed.
  case figure(path: String)
}

/// A chapter's captured standard output, split into the cells that printed it.
public enum CapturedOutput {
  /// The marker the runtime prints when cell `index` starts (`LessonCell.begin`), without the newline.
  public static func marker(_ index: Int) -> String { "\u{1E}lesson-cell \(index)\u{1E}" }

  /// The prefix of the line that `Chapter.saveFigure` prints.
  public static let figurePrefix = "figure: "

  /// Splits `output` at the cell markers into what each of `cellCount` cells printed (index 0 is cell 1).
  /// Text before the first marker belongs to cell 1. Throws when a marker names a cell the source does
  /// not have, which means the binary was built from another version of `main.swift`.
  public static func split(_ output: String, cellCount: Int) throws(LessonError) -> [[CellOutputItem]] {
    var texts = [String](repeating: "", count: cellCount)
    var current = 0
    var rest = Substring(output)
    while let start = rest.firstIndex(of: "\u{1E}") {
      let afterStart = rest.index(after: start)
      guard let end = rest[afterStart...].firstIndex(of: "\u{1E}") else { break }
      let label = rest[afterStart..<end]
      guard label.hasPrefix("lesson-cell "), let index = Int(label.dropFirst("lesson-cell ".count)) else {
        if current < cellCount { texts[current] += rest[..<afterStart] }
        rest = rest[afterStart...]
        continue
      }
      if current < cellCount { texts[current] += rest[..<start] }
      guard index >= 1, index <= cellCount else {
        throw LessonError.cellMismatch(
          "the run printed a marker for cell \(index), but main.swift has \(cellCount) cells: rebuild the chapter")
      }
      current = index - 1
      var next = rest.index(after: end)
      if next < rest.endIndex, rest[next] == "\n" { next = rest.index(after: next) }
      rest = rest[next...]
    }
    if current < cellCount { texts[current] += rest }
    return texts.map(items)
  }

  /// The text runs and figures of one cell's output, in order.
  static func items(_ text: String) -> [CellOutputItem] {
    var items: [CellOutputItem] = []
    var run: [String] = []
    func flush() {
      let lines = LiterateSource.trimmingBlankLines(run)
      if !lines.isEmpty { items.append(.text(lines.joined(separator: "\n"))) }
      run = []
    }
    for line in splitLines(text) {
      if line.hasPrefix(figurePrefix) {
        flush()
        items.append(.figure(path: String(line.dropFirst(figurePrefix.count))))
      } else {
        run.append(line)
      }
    }
    flush()
    return items
  }
}
