import Testing

@testable import Plotting

/// `RegionMap.outline(labels:)` draws a second labelling's borders over the cells, and only its borders.
@Suite struct RegionMapOutlineTests {
  let area = Rect(x: 0, y: 0, width: 600, height: 450)

  /// One colour everywhere (all cells expert 0), an outline that splits the plane at x = 2 of 0...4:
  /// ink on the two pixels beside x = 2, the expert's colour elsewhere.
  @Test func outlineIsDrawnOnTheBordersOfTheSecondLabellingOnly() throws {
    var map = RegionMap(labels: [[0, 0, 0, 0], [0, 0, 0, 0]], xRange: 0...4, yRange: 0...2)
    map.outline(labels: [0, 0, 1, 1, 0, 0, 1, 1])
    let frame = try map.layout(in: area).frame
    let image = try roundTrip(map, width: 600, height: 450)
    let border = frame.point(2, 1)
    let (x, y) = (Int(border.x), Int(border.y))
    let dark = [image[x - 1, y], image[x, y]].filter { $0 == .ink }.count
    #expect(dark >= 1, "no ink beside the outline's border at pixel (\(x), \(y))")
    #expect(image[frame.point(1.5, 1)] == Palette.color(0), "cell edge between two cells of one outline label")
    #expect(image[frame.point(0.5, 0.5)] == Palette.color(0))
    #expect(image[frame.point(3.5, 1.5)] == Palette.color(0))
    // Without the outline the same place is the expert's colour: the line comes from the outline.
    var plain = RegionMap(labels: [[0, 0, 0, 0], [0, 0, 0, 0]], xRange: 0...4, yRange: 0...2)
    plain.showBoundaries = true
    let plainImage = try roundTrip(plain, width: 600, height: 450)
    #expect(plainImage[x - 1, y] == Palette.color(0) && plainImage[x, y] == Palette.color(0))
  }

  @Test func outlineOfAnotherSizeIsAnErrorNamingBothSizes() {
    var map = RegionMap(labels: [0, 1, 1, 0], width: 2, height: 2, xRange: 0...1, yRange: 0...1)
    map.outline(labels: [0, 1, 2])
    #expect(throws: PlotError.lengthMismatch(what: "region map outline labels (2x2 grid)", expected: 4, actual: 3)) {
      try map.render()
    }
  }
}
