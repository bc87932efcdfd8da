import Testing

@testable import Plotting

@Suite struct TextTests {
  /// Every pixel of the drawn text is ink exactly where the font's glyph has ink.
  func expectGlyphPixels(
    _ text: String, font: BitmapFont, in image: DecodedPNG, left: Int, top: Int
  ) {
    let scalars = Array(text.unicodeScalars)
    for y in 0..<font.lineHeight {
      for x in 0..<(scalars.count * font.advance) {
        let scalar = scalars[x / font.advance]
        let ink = font.hasInk(scalar, column: x % font.advance, row: y)
        let pixel = image[left + x, top + y]
        #expect(pixel == (ink ? Color.black : Color.white), "'\(scalar)' at (\(x), \(y))")
      }
    }
  }

  @Test func knownStringProducesTheGlyphPixels() throws {
    for font in [BitmapFont.small, BitmapFont.regular] {
      var canvas = Canvas(width: 120, height: 30)
      let text = "Hi -0.5, Wg"
      let box = canvas.drawText(text, at: Point(3, 4), font: font, color: .black)
      #expect(
        box
          == Rect(x: 3, y: 4, width: Double(font.width(of: text)), height: Double(font.lineHeight)))
      let image = try roundTrip(canvas)
      expectGlyphPixels(text, font: font, in: image, left: 3, top: 4)
    }
  }

  @Test func glyphShapes() {
    let font = BitmapFont.regular
    // 'H': two full-height stems joined by a bar; 'T' a bar over a stem; '-' a single bar.
    for row in 0..<font.capHeight {
      #expect(font.hasInk("H", column: 0, row: font.topPadding + row))
      #expect(font.hasInk("H", column: 5, row: font.topPadding + row))
      #expect(font.hasInk("I", column: 2, row: font.topPadding + row))
    }
    #expect(!font.hasInk("H", column: 2, row: font.topPadding))
    #expect((0..<5).allSatisfy { font.hasInk("T", column: $0, row: font.topPadding) })
    #expect((0..<5).allSatisfy { font.hasInk("-", column: $0, row: font.topPadding + 5) })
    #expect(!font.hasInk(" ", column: 2, row: 5))
    // Descenders reach below the baseline.
    #expect(font.hasInk("g", column: 1, row: font.ascent + 2))
  }

  @Test func everyPrintableCharacterHasAGlyph() {
    for font in [BitmapFont.small, BitmapFont.regular] {
      for value in UInt32(33)...UInt32(126) {
        let scalar = Unicode.Scalar(value)!
        let inked = (0..<font.lineHeight).contains { row in
          (0..<font.advance).contains { font.hasInk(scalar, column: $0, row: row) }
        }
        #expect(inked, "\(font.name) font has no glyph for '\(scalar)'")
      }
      // A character the font lacks shows as '?' instead of disappearing.
      #expect(
        font.hasInk("\u{3B1}", column: 2, row: font.ascent - 1)
          == font.hasInk("?", column: 2, row: font.ascent - 1))
    }
  }

  @Test func upwardTextIsTheGlyphTurnedCounterClockwise() throws {
    let font = BitmapFont.regular
    var canvas = Canvas(width: 40, height: 60)
    let box = canvas.drawText(
      "F1", at: Point(10, 50), font: font, color: .black, orientation: .upward)
    #expect(box.width == Double(font.lineHeight))
    #expect(box.maxY == 50)
    let image = try roundTrip(canvas)
    // Text-space (u along, v across) lands at (10 + v, 49 - u).
    for u in 0..<(2 * font.advance) {
      for v in 0..<font.lineHeight {
        let scalar: Unicode.Scalar = u < font.advance ? "F" : "1"
        let ink = font.hasInk(scalar, column: u % font.advance, row: v)
        #expect(image[10 + v, 49 - u] == (ink ? Color.black : Color.white))
      }
    }
  }

  @Test func alignment() {
    var canvas = Canvas(width: 100, height: 40)
    let font = BitmapFont.regular
    let centred = canvas.drawText(
      "abc", at: Point(50, 20), font: font, horizontal: .center, vertical: .middle)
    #expect(abs(centred.midX - 50) <= 0.5)
    let right = canvas.drawText("abc", at: Point(90, 5), font: font, horizontal: .right)
    #expect(right.maxX == 90)
    let baseline = canvas.drawText("abc", at: Point(0, 30), font: font, vertical: .baseline)
    #expect(baseline.minY + Double(font.ascent) == 30)
  }

  @Test func truncationFitsTheWidth() {
    let font = BitmapFont.regular
    let text = font.truncated("a rather long legend label", toWidth: 80)
    #expect(text.hasSuffix("..."))
    #expect(font.width(of: text) <= 80)
    #expect(font.truncated("short", toWidth: 80) == "short")
  }
}
