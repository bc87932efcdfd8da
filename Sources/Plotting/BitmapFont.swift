/// A monospaced bitmap font drawn for this project, covering printable ASCII.
///
/// Glyphs are stored as pixel art in `SmallFontGlyphs.swift` and `RegularFontGlyphs.swift`
/// and parsed once on first use: the art stays readable and editable in the source.
public struct BitmapFont: Sendable {
  public let name: String
  /// Pixels from one glyph's left edge to the next one's.
  public let advance: Int
  /// Height of one line of text, including the space above and below the glyphs.
  public let lineHeight: Int
  /// Rows from the top of the line box to the baseline.
  public let ascent: Int
  /// Height of capital letters and digits.
  public let capHeight: Int
  let glyphWidth: Int
  let topPadding: Int
  /// Rows of each glyph from `topPadding` down, as bit masks; bit `glyphWidth - 1` is the left column.
  let glyphs: [[UInt16]]

  init(
    name: String, glyphWidth: Int, advance: Int, lineHeight: Int, topPadding: Int, capHeight: Int,
    art: String
  ) {
    self.name = name
    self.glyphWidth = glyphWidth
    self.advance = advance
    self.lineHeight = lineHeight
    self.topPadding = topPadding
    self.capHeight = capHeight
    self.ascent = topPadding + capHeight
    self.glyphs = BitmapFont.parse(art: art, width: glyphWidth, fontName: name)
  }

  /// Small text: heatmap annotations, notes, tick labels of small panels (5x7 capitals).
  public static let small = BitmapFont(
    name: "small", glyphWidth: 5, advance: 6, lineHeight: 11, topPadding: 1, capHeight: 7,
    art: smallFontArt)

  /// Regular text: titles, axis labels, tick labels, legends (6x10 capitals).
  public static let regular = BitmapFont(
    name: "regular", glyphWidth: 6, advance: 7, lineHeight: 16, topPadding: 2, capHeight: 10,
    art: regularFontArt)

  static let firstCharacter: UInt32 = 32
  static let lastCharacter: UInt32 = 126

  /// Parses blocks of the form `=X` followed by rows of `#` (ink) and `.` (paper);
  /// `=space` names the space. Missing rows at the bottom are blank.
  static func parse(art: String, width: Int, fontName: String) -> [[UInt16]] {
    var glyphs = [[UInt16]](repeating: [], count: Int(lastCharacter - firstCharacter + 1))
    var current: Int? = nil
    for line in art.split(separator: "\n", omittingEmptySubsequences: true) {
      if line.first == "=" {
        let name = line.dropFirst()
        let character: Unicode.Scalar = name == "space" ? " " : name.unicodeScalars.first!
        current = Int(character.value - firstCharacter)
        continue
      }
      guard let index = current else { continue }
      var bits: UInt16 = 0
      for (column, pixel) in line.prefix(width).enumerated() where pixel == "#" {
        bits |= 1 << UInt16(width - 1 - column)
      }
      glyphs[index].append(bits)
    }
    return glyphs
  }

  /// The glyph index for a character; characters the font lacks show as '?'.
  func glyphIndex(_ scalar: Unicode.Scalar) -> Int {
    var value = scalar.value
    switch value {
    case 0x2212, 0x2013, 0x2010: value = 0x2D  // minus sign, en dash, hyphen: '-'
    case 0x00D7: value = 0x78  // multiplication sign: 'x'
    default: break
    }
    guard value >= BitmapFont.firstCharacter, value <= BitmapFont.lastCharacter else {
      return Int(0x3F - BitmapFont.firstCharacter)
    }
    return Int(value - BitmapFont.firstCharacter)
  }

  /// Whether the glyph for `scalar` has ink at (`column`, `row`), with `row` counted from the
  /// top of the line box.
  public func hasInk(_ scalar: Unicode.Scalar, column: Int, row: Int) -> Bool {
    guard column >= 0, column < glyphWidth else { return false }
    let rows = glyphs[glyphIndex(scalar)]
    let glyphRow = row - topPadding
    guard glyphRow >= 0, glyphRow < rows.count else { return false }
    return rows[glyphRow] & (1 << UInt16(glyphWidth - 1 - column)) != 0
  }

  /// Width in pixels of `text` on one line: no trailing gap after the last glyph.
  public func width(of text: String) -> Int {
    let count = text.unicodeScalars.count
    return count == 0 ? 0 : count * advance - (advance - glyphWidth)
  }
}
