/// The first place where a lesson page no longer matches its `main.swift`.
public struct PageDifference: Equatable, Sendable, CustomStringConvertible {
  /// What differs, in one or a few lines.
  public let description: String
}

/// Compares a committed lesson page with the current source, cell by cell, without running anything.
public enum StalenessCheck {
  /// The first differing cell (its number, kind, line in main.swift and the first differing line), or nil
  /// when the page's prose and code are exactly those of the source.
  public static func firstDifference(source: [LiterateCell], page: [LiterateCell]) -> PageDifference? {
    for index in 0..<min(source.count, page.count) {
      let expected = source[index]
      let found = page[index]
      let label = "cell \(index + 1) (\(expected.kind.rawValue), main.swift line \(expected.line))"
      if expected.kind != found.kind {
        return PageDifference(
          description:
            "\(label): main.swift has a \(expected.kind.rawValue) cell, README.md a \(found.kind.rawValue) cell")
      }
      if expected.lines != found.lines {
        let shared = min(expected.lines.count, found.lines.count)
        let position = (0..<shared).first { expected.lines[$0] != found.lines[$0] } ?? shared
        let sourceLine = position < expected.lines.count ? "'\(expected.lines[position])'" : "(no line)"
        let pageLine = position < found.lines.count ? "'\(found.lines[position])'" : "(no line)"
        return PageDifference(
          description:
            "\(label), line \(position + 1) of the cell:\n  main.swift: \(sourceLine)\n  README.md:  \(pageLine)")
      }
    }
    if source.count != page.count {
      return PageDifference(description: "main.swift has \(source.count) cells, README.md has \(page.count)")
    }
    return nil
  }

  /// Compares the text of a page with the text of its source.
  public static func firstDifference(sourceText: String, pageText: String) -> PageDifference? {
    firstDifference(source: LiterateSource(text: sourceText).cells, page: LessonPage.cells(ofPage: pageText))
  }
}
