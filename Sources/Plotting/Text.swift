/// Where the anchor point sits along the text.
public enum HorizontalAlignment: Sendable {
  case left, center, right
}

/// Where the anchor point sits across the text. `middle` is the middle of the capitals, which
/// centres numbers on tick marks better than the middle of the line box would.
public enum VerticalAlignment: Sendable {
  case top, middle, baseline, bottom
}

/// Upright text, or text turned a quarter turn counter-clockwise to read upwards (y-axis labels).
public enum TextOrientation: Sendable {
  case horizontal, upward
}

extension BitmapFont {
  /// `text` shortened with "..." so it fits in `maximumWidth` pixels.
  public func truncated(_ text: String, toWidth maximumWidth: Double) -> String {
    if Double(width(of: text)) <= maximumWidth { return text }
    var scalars = Array(text.unicodeScalars)
    while !scalars.isEmpty {
      scalars.removeLast()
      var candidate = String(String.UnicodeScalarView(scalars))
      candidate += "..."
      if Double(width(of: candidate)) <= maximumWidth { return candidate }
    }
    return ""
  }

  func offsetAcross(_ alignment: VerticalAlignment) -> Double {
    switch alignment {
    case .top: return 0
    case .middle: return Double(topPadding) + Double(capHeight) / 2
    case .baseline: return Double(ascent)
    case .bottom: return Double(lineHeight)
    }
  }
}

extension Canvas {
  /// Draws one line of text and returns the box it occupies.
  ///
  /// With `.upward` orientation the alignments keep their meaning relative to the text:
  /// `.center` centres it vertically on the anchor and `.top` puts the tops of the glyphs
  /// at the anchor's x.
  @discardableResult
  public mutating func drawText(
    _ text: String, at anchor: Point, font: BitmapFont = .regular, color: Color = .ink,
    horizontal: HorizontalAlignment = .left, vertical: VerticalAlignment = .top,
    orientation: TextOrientation = .horizontal
  ) -> Rect {
    let length = Double(font.width(of: text))
    let along: Double
    switch horizontal {
    case .left: along = 0
    case .center: along = length / 2
    case .right: along = length
    }
    let across = font.offsetAcross(vertical)
    let scalars = Array(text.unicodeScalars)
    switch orientation {
    case .horizontal:
      let left = Int((anchor.x - along).rounded())
      let top = Int((anchor.y - across).rounded())
      for (index, scalar) in scalars.enumerated() {
        let glyph = font.glyphs[font.glyphIndex(scalar)]
        let glyphLeft = left + index * font.advance
        for (row, bits) in glyph.enumerated() where bits != 0 {
          for column in 0..<font.glyphWidth
          where bits & (1 << UInt16(font.glyphWidth - 1 - column)) != 0 {
            blendPixel(x: glyphLeft + column, y: top + font.topPadding + row, color: color)
          }
        }
      }
      return Rect(x: Double(left), y: Double(top), width: length, height: Double(font.lineHeight))
    case .upward:
      // Text-space (u along the text, v down the glyph) maps to (left + v, bottom - 1 - u).
      let bottom = Int((anchor.y + along).rounded())
      let left = Int((anchor.x - across).rounded())
      for (index, scalar) in scalars.enumerated() {
        let glyph = font.glyphs[font.glyphIndex(scalar)]
        let glyphStart = index * font.advance
        for (row, bits) in glyph.enumerated() where bits != 0 {
          for column in 0..<font.glyphWidth
          where bits & (1 << UInt16(font.glyphWidth - 1 - column)) != 0 {
            blendPixel(
              x: left + font.topPadding + row, y: bottom - 1 - (glyphStart + column), color: color)
          }
        }
      }
      return Rect(
        x: Double(left), y: Double(bottom) - length, width: Double(font.lineHeight), height: length)
    }
  }
}
