/// Turns a chapter's `main.swift` into the copy that is compiled: the same lines, with a call to
/// `LessonCell.begin(n)` at the start of each marker line, so the running chapter announces its cells.
///
/// Line numbers do not move. The first line of the copy is `import Lessons; ` followed by a
/// `#sourceLocation` directive naming the original file, so compiler errors, warnings and crash reports
/// point at `Chapters/NN-Name/main.swift` and its own line numbers. When the original's first line is
/// a comment, a marker or blank (the usual case: `// %% [markdown]`), the directive takes its place (its
/// marker call goes before the directive) and every following line keeps its number in the copy too;
/// otherwise the original's lines follow the directive one line down.
public enum Instrumentation {
  /// The module that provides `LessonCell`.
  public static let runtimeModule = "Lessons"

  /// The instrumented copy of `text`, the contents of the file at `originalPath`.
  public static func instrument(_ text: String, originalPath: String) -> String {
    let source = LiterateSource(text: text)
    var calls = [Int: String]()
    for (position, lineIndex) in source.markerLineIndices.enumerated() {
      if let lineIndex { calls[lineIndex] = "LessonCell.begin(\(position + 1)); " }
    }

    var lines = source.lines
    let firstLine = lines.first ?? ""
    let trimmed = firstLine.drop(while: { $0 == " " || $0 == "\t" })
    let replacesFirstLine = trimmed.isEmpty || trimmed.hasPrefix("//")
    let directiveLine = replacesFirstLine ? 2 : 1
    let header =
      "import \(runtimeModule); " + (replacesFirstLine ? calls[0] ?? "" : "")
      + "#sourceLocation(file: \(quoted(originalPath)), line: \(directiveLine))"

    for (index, call) in calls where index > 0 || !replacesFirstLine {
      lines[index] = call + lines[index]
    }
    if replacesFirstLine {
      lines[0] = header
    } else {
      lines.insert(header, at: 0)
    }
    return lines.joined(separator: "\n")
  }

  /// `text` as a Swift string literal.
  static func quoted(_ text: String) -> String {
    var literal = "\""
    for character in text {
      switch character {
      case "\\": literal += "\\\\"
      case "\"": literal += "\\\""
      case "\n": literal += "\\n"
      default: literal.append(character)
      }
    }
    return literal + "\""
  }
}
