import Testing

@testable import Plotting

@Suite struct ImageGridTests {
  /// Every canvas pixel of image pixel (x, y), drawn at `scale` from `origin`, has `color`.
  func expectBlock(
    _ image: DecodedPNG, origin: (x: Int, y: Int), scale: Int, pixel: (x: Int, y: Int), _ color: Color,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    var wrong = 0
    for y in 0..<scale {
      for x in 0..<scale where image[origin.x + pixel.x * scale + x, origin.y + pixel.y * scale + y] != color {
        wrong += 1
      }
    }
    #expect(
      wrong == 0, "\(wrong) canvas pixels of image pixel \(pixel) are not \(color)", sourceLocation: sourceLocation)
  }

  func gray(_ level: UInt8) -> Color { Color(red: level, green: level, blue: level) }

  @Test func eachImagePixelIsAnExactSquareOfItsGray() throws {
    var grid = ImageGrid(imageWidth: 2, imageHeight: 2)
    try grid.addRow(images: [[0, 1, 0.5, 0.25], [1, 0, 0, 1]])
    // By hand, for 100 x 50: widths 2 images * 2 px + 1 gap of 4 + 2 paddings of 12 -> (100 - 28) / 4 = 18;
    // heights 2 px + 2 paddings -> (50 - 24) / 2 = 13. The smaller wins: each pixel is 13 x 13.
    let layout = try grid.layout(in: Rect(x: 0, y: 0, width: 100, height: 50))
    #expect(layout.scale == 13)
    // The grid is 2 * 26 + 4 = 56 wide, centred: left = (100 - 56) / 2 = 22; top = the padding, 12.
    #expect(layout.imageOrigins == [[Point(22, 12), Point(52, 12)]])
    let image = try roundTrip(grid, width: 100, height: 50)
    let first = (x: 22, y: 12)
    expectBlock(image, origin: first, scale: 13, pixel: (0, 0), gray(0))
    expectBlock(image, origin: first, scale: 13, pixel: (1, 0), gray(255))
    expectBlock(image, origin: first, scale: 13, pixel: (0, 1), gray(128))  // round(255 * 0.5)
    expectBlock(image, origin: first, scale: 13, pixel: (1, 1), gray(64))  // round(255 * 0.25)
    let second = (x: 52, y: 12)
    expectBlock(image, origin: second, scale: 13, pixel: (0, 0), gray(255))
    expectBlock(image, origin: second, scale: 13, pixel: (1, 0), gray(0))
    expectBlock(image, origin: second, scale: 13, pixel: (0, 1), gray(0))
    expectBlock(image, origin: second, scale: 13, pixel: (1, 1), gray(255))
    // A light frame just outside each image, white paper elsewhere.
    #expect(image[21, 20] == .lightGray)
    #expect(image[48, 20] == .lightGray)
    #expect(image[50, 20] == .white)
    #expect(image[5, 5] == .white)
  }

  @Test func invertedDrawsTheValueRangeDarkOnLight() throws {
    var grid = ImageGrid(imageWidth: 2, imageHeight: 1, valueRange: 0...16, inverted: true)
    try grid.addRow(images: [[16, 4]])
    let layout = try grid.layout(in: Rect(x: 0, y: 0, width: 60, height: 40))
    let origin = (x: Int(layout.imageOrigins[0][0].x), y: Int(layout.imageOrigins[0][0].y))
    let image = try roundTrip(grid, width: 60, height: 40)
    expectBlock(image, origin: origin, scale: layout.scale, pixel: (0, 0), gray(0))
    expectBlock(image, origin: origin, scale: layout.scale, pixel: (1, 0), gray(191))  // 255 - round(255 / 4)
    #expect(grid.color(of: -3) == .white, "below the range clamps to its end")
    #expect(grid.color(of: 40) == .black, "above the range clamps to its end")
  }

  @Test func rowTitlesAndWrappedRowsMoveTheImagesDown() throws {
    var grid = ImageGrid(title: "digits", imageWidth: 1, imageHeight: 1, columns: 2)
    try grid.addRow(title: "expert 1", images: [[1], [1], [1]])
    try grid.addRow(title: "expert 2", images: [[0]])
    let area = Rect(x: 0, y: 0, width: 300, height: 400)
    let layout = try grid.layout(in: area)
    let scale = Double(layout.scale)
    // Figure title 16 + 14, row title 16 + 4, then the images; a third image wraps onto a second line.
    let firstTop = 12.0 + 30 + 20
    let rows = layout.imageOrigins
    #expect(rows[0].map(\.y) == [firstTop, firstTop, firstTop + scale + 4])
    #expect(rows[0][2].x == rows[0][0].x)
    // Then the row gap (10) and the next row's title (20).
    #expect(rows[1][0].y == firstTop + 2 * scale + 4 + 10 + 20)
    let image = try roundTrip(grid, width: 300, height: 400)
    let titleBand = Int(layout.rowTitleTops[1])..<Int(rows[1][0].y)
    #expect(titleBand.contains { y in (0..<300).contains { x in image[x, y] == .ink } }, "no ink in the row title")
  }

  @Test func nonFinitePixelsAreRedAndNoted() throws {
    var grid = ImageGrid(imageWidth: 1, imageHeight: 2)
    try grid.addRow(images: [[.nan, 0.5]])
    #expect(grid.notes == ["note: 1 value NaN or infinite, drawn red"])
    #expect(grid.color(of: .infinity) == .noteRed)
    _ = try grid.render(width: 200, height: 200)
  }

  @Test func defaultSizeFitsTwelveDigitsAcross900Pixels() throws {
    var grid = ImageGrid(imageWidth: 28, imageHeight: 28, columns: 12)
    for _ in 0..<4 {
      try grid.addRow(title: "expert", images: [[Float]](repeating: [Float](repeating: 0, count: 784), count: 12))
    }
    // (900 - 11 gaps of 4 - 24) / (12 * 28) = 2.48: two canvas pixels per image pixel.
    let size = grid.defaultSize
    #expect(size.width == 900)
    #expect(size.height == 4 * 20 + 3 * 10 + 24 + 4 * 56)
    #expect(try grid.layout(in: Rect(x: 0, y: 0, width: 900, height: Double(size.height))).scale == 2)
  }

  @Test func badGridsGiveClearErrors() throws {
    var grid = ImageGrid(imageWidth: 3, imageHeight: 3)
    #expect(throws: PlotError.lengthMismatch(what: "image grid row 0 image 1 (3x3)", expected: 9, actual: 4)) {
      try grid.addRow(images: [[Float](repeating: 0, count: 9), [0, 0, 0, 0]])
    }
    #expect(throws: PlotError.noData(chart: "image grid")) { try grid.render(width: 100, height: 100) }
    try grid.addRow(images: [[Float](repeating: 0, count: 9)])
    #expect(throws: PlotError.self) { try grid.render(width: 20, height: 20) }
    var flat = grid
    flat.valueRange = 1...1
    #expect(throws: PlotError.self) { try flat.render(width: 100, height: 100) }
    var noColumns = grid
    noColumns.columns = 0
    #expect(throws: PlotError.self) { try noColumns.render(width: 100, height: 100) }
  }
}
