/// One cell of a literate chapter.
public struct LiterateCell: Equatable, Sendable {
  /// Prose (`// %% [markdown]`) or code (`// %%`).
  public enum Kind: String, Sendable {
    case markdown
    case code
  }

  /// Prose or code.
  public var kind: Kind
  /// The content: prose with the `// ` prefix removed, code verbatim; blank lines at both ends removed.
  public var lines: [String]
  /// The 1-based line in `main.swift` where the cell starts: its marker line, or 1 for text before the
  /// first marker. 0 for cells read back from a lesson page.
  public var line: Int

  /// A cell of `kind` with `lines` of content, starting at `line` of main.swift (0 when unknown).
  public init(kind: Kind, lines: [String], line: Int = 0) {
    self.kind = kind
    self.lines = lines
    self.line = line
  }
}

/// A chapter's `main.swift` in the percent format (the jupytext convention with `//` comments):
///
///     // %% [markdown]
///     // # 3. The gating network
///     // The gate turns an input into a distribution over experts.
///
///     // %%
///     let gate = SoftmaxGate(inputSize: 10, experts: 3, using: &generator)
///
/// `// %%` starts a code cell and `// %% [markdown]` a prose cell, where every line starts with `// `
/// (a blank prose line is `//`). Markers count only at column 0 and at the top level: an indented one,
/// or one inside a string, comment or bracket, is ordinary text. Text before the first marker, when not
/// blank, is a code cell of its own. CRLF line breaks read as LF.
public struct LiterateSource: Sendable {
  /// The file's lines, without line breaks.
  public let lines: [String]
  /// The cells in source order; a cell's 1-based position is the index its marker call reports.
  public let cells: [LiterateCell]
  /// For each cell, the 0-based index of its marker line, or nil for text before the first marker.
  public let markerLineIndices: [Int?]

  /// Parses the text of a `main.swift`.
  public init(text: String) {
    let lines = splitLines(text)
    var scanner = SourceScanner()
    var markers: [(index: Int, kind: LiterateCell.Kind)] = []
    for (index, line) in lines.enumerated() {
      if scanner.isAtTopLevel, let kind = Self.markerKind(line) { markers.append((index, kind)) }
      scanner.scan(line)
    }

    var cells: [LiterateCell] = []
    var markerLineIndices: [Int?] = []
    let firstMarker = markers.first?.index ?? lines.count
    let preamble = Self.trimmingBlankLines(Array(lines[0..<firstMarker]))
    if !preamble.isEmpty {
      cells.append(LiterateCell(kind: .code, lines: preamble, line: 1))
      markerLineIndices.append(nil)
    }
    for (position, marker) in markers.enumerated() {
      let end = position + 1 < markers.count ? markers[position + 1].index : lines.count
      let body = Array(lines[(marker.index + 1)..<end])
      let content = marker.kind == .markdown ? body.map(Self.prose) : body
      cells.append(LiterateCell(kind: marker.kind, lines: Self.trimmingBlankLines(content), line: marker.index + 1))
      markerLineIndices.append(marker.index)
    }
    self.lines = lines
    self.cells = cells
    self.markerLineIndices = markerLineIndices
  }

  /// The kind of cell that `line` starts, or nil when it is not a marker: `// %%` at column 0, alone or
  /// followed by a space and a title or `[markdown]` (`[md]` also works).
  static func markerKind(_ line: String) -> LiterateCell.Kind? {
    guard line.hasPrefix("// %%") else { return nil }
    let rest = line.dropFirst(5)
    guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
    return rest.contains("[markdown]") || rest.contains("[md]") ? .markdown : .code
  }

  /// A prose line without its comment prefix: `// text` -> `text`, `//` -> ``.
  static func prose(_ line: String) -> String {
    if line.hasPrefix("// ") { return String(line.dropFirst(3)) }
    if line.hasPrefix("//") { return String(line.dropFirst(2)) }
    return line
  }

  /// `lines` without blank (whitespace-only) lines at the start and the end.
  static func trimmingBlankLines(_ lines: [String]) -> [String] {
    func isBlank(_ line: String) -> Bool { line.allSatisfy(\.isWhitespace) }
    guard let first = lines.firstIndex(where: { !isBlank($0) }),
      let last = lines.lastIndex(where: { !isBlank($0) })
    else { return [] }
    return Array(lines[first...last])
  }
}

/// The lines of `text` without their line breaks; `\r\n` counts as one break. (Splitting a `String` on
/// the character `"\n"` would miss `\r\n`, a single character in Swift.)
func splitLines(_ text: String) -> [String] {
  text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { scalars in
    var line = String(String.UnicodeScalarView(scalars))
    if line.hasSuffix("\r") { line.removeLast() }
    return line
  }
}
