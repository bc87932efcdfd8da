import Testing

@testable import Plotting

@Suite struct CanvasTests {
  @Test func horizontalLineCoversExactlyItsRow() throws {
    var canvas = Canvas(width: 40, height: 30)
    canvas.drawLine(from: Point(5.5, 10.5), to: Point(34.5, 10.5), width: 1, color: .black)
    let image = try roundTrip(canvas)
    #expect(image.width == 40 && image.height == 30)
    for x in 6...33 {
      #expect(image[x, 10] == .black, "pixel (\(x), 10)")
      #expect(image[x, 9] == .white)
      #expect(image[x, 11] == .white)
    }
    #expect(image[0, 10] == .white)
    #expect(image[39, 10] == .white)
  }

  @Test func diagonalLinePassesThroughItsPixels() throws {
    var canvas = Canvas(width: 40, height: 40)
    canvas.drawLine(from: Point(4, 4), to: Point(36, 36), width: 3, color: Color(hex: 0x0072B2))
    let image = try roundTrip(canvas)
    for t in stride(from: 6, through: 34, by: 4) {
      #expect(image[t, t] == Color(hex: 0x0072B2), "centre pixel (\(t), \(t))")
    }
    // Anti-aliased edge: partly covered pixels beside the line, untouched ones further out.
    let edge = image[20, 22]
    #expect(edge != .white && edge != Color(hex: 0x0072B2))
    #expect(image[20, 26] == .white)
    #expect(image[30, 10] == .white)
  }

  @Test func translucentPolylineIsNotDarkerAtItsJoints() {
    var canvas = Canvas(width: 40, height: 40)
    let color = Color.black.withOpacity(0.5)
    canvas.drawPolyline(
      [Point(5.5, 20.5), Point(20.5, 20.5), Point(20.5, 35.5)], width: 3, color: color)
    #expect(canvas[12, 20] == canvas[20, 20])
    #expect(canvas[20, 28] == canvas[20, 20])
    #expect(close(canvas[20, 20], Color(hex: 0x808080)))
  }

  @Test func filledRectangleBlendsFractionalEdges() {
    var canvas = Canvas(width: 10, height: 10)
    canvas.fill(Rect(x: 2, y: 2, width: 3.5, height: 3), color: .black)
    #expect(canvas[2, 2] == .black)
    #expect(canvas[4, 4] == .black)
    #expect(close(canvas[5, 3], Color(hex: 0x808080)))
    #expect(canvas[6, 3] == .white)
    #expect(canvas[3, 5] == .white)
  }

  @Test func alphaBlendingMixesWithTheBackground() {
    var canvas = Canvas(width: 4, height: 4, background: Color(hex: 0x0000FF))
    canvas.fill(
      Rect(x: 0, y: 0, width: 4, height: 4), color: Color(hex: 0xFF0000).withOpacity(0.25))
    #expect(close(canvas[1, 1], Color(red: 64, green: 0, blue: 191)))
  }

  @Test func clippingKeepsDrawingInsideTheClipRectangle() {
    var canvas = Canvas(width: 30, height: 30)
    canvas.clipRect = Rect(x: 10, y: 10, width: 10, height: 10)
    canvas.fill(Rect(x: 0, y: 0, width: 30, height: 30), color: .black)
    canvas.drawLine(from: Point(0, 5.5), to: Point(30, 25.5), width: 4, color: .black)
    canvas.drawText("WWWW", at: Point(0, 0))
    #expect(canvas[15, 15] == .black)
    #expect(canvas[9, 15] == .white)
    #expect(canvas[20, 15] == .white)
    #expect(canvas[15, 21] == .white)
    #expect(canvas[2, 7] == .white)
    canvas.clipRect = nil
    canvas.fill(Rect(x: 0, y: 0, width: 2, height: 2), color: .black)
    #expect(canvas[0, 0] == .black)
  }

  @Test func polygonFillCoversItsInterior() {
    var canvas = Canvas(width: 30, height: 30)
    canvas.fillPolygon([Point(2, 2), Point(28, 2), Point(2, 28)], color: .black)
    #expect(canvas[5, 5] == .black)
    #expect(canvas[24, 3] == .black)
    #expect(canvas[20, 20] == .white)
    // The pixel the hypotenuse cuts in half is half covered.
    #expect(close(canvas[14, 15], Color(hex: 0x808080), tolerance: 30))
  }

  @Test func circleFillIsRound() {
    var canvas = Canvas(width: 30, height: 30)
    canvas.fillCircle(center: Point(15, 15), radius: 10, color: .black)
    #expect(canvas[15, 15] == .black)
    #expect(canvas[15, 6] == .black)
    #expect(canvas[15, 3] == .white)
    // Corner of the bounding square is outside the circle.
    #expect(canvas[7, 7] == .white)
  }
}
