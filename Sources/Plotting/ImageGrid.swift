/// Small grayscale images in rows, each row under its own title: digits routed to each expert,
/// samples of each class, filters of a convolution.
///
///     var grid = ImageGrid(title: "Test digits by expert", imageWidth: 28, imageHeight: 28)
///     try grid.addRow(title: "expert 1: mostly 0 and 6", images: digitsOfExpert1)
///     try grid.write(to: "Figures/chapter-10/digits-by-expert.png")
///
/// Every image pixel becomes a square of `scale` x `scale` canvas pixels, with `scale` the largest
/// whole number at which every row fits the figure, so no pixel is blurred or dropped. A value v is
/// drawn as the gray g = round(255 (v - low) / (high - low)) (clamped to 0...255) of `valueRange`
/// low...high, or 255 - g with `inverted` (dark ink on white paper). NaN and infinite pixels are
/// drawn in red and noted.
public struct ImageGrid: Chart {
  /// One row of the grid: a title and images of `imageWidth` x `imageHeight` values, row-major.
  public struct Row: Sendable {
    public var title: String?
    public var images: [[Float]]
  }

  public var title: String?
  public let imageWidth: Int
  public let imageHeight: Int
  /// The values drawn black and white (white and black when `inverted`).
  public var valueRange: ClosedRange<Double>
  /// Draws high values dark on a light ground instead of light on dark.
  public var inverted: Bool
  /// Images per row; nil for the longest row's count.
  public var columns: Int?
  /// The largest upscaling `defaultSize` uses (8x8 images would otherwise fill the page).
  public var largestDefaultScale = 8
  public private(set) var rows: [Row] = []

  public init(
    title: String? = nil, imageWidth: Int, imageHeight: Int, valueRange: ClosedRange<Double> = 0...1,
    inverted: Bool = false, columns: Int? = nil
  ) {
    self.title = title
    self.imageWidth = imageWidth
    self.imageHeight = imageHeight
    self.valueRange = valueRange
    self.inverted = inverted
    self.columns = columns
  }

  /// Appends a row. Throws when an image does not have `imageWidth * imageHeight` values.
  public mutating func addRow(title: String? = nil, images: [[Float]]) throws {
    for (index, image) in images.enumerated() where image.count != imageWidth * imageHeight {
      throw PlotError.lengthMismatch(
        what: "image grid row \(rows.count) image \(index) (\(imageWidth)x\(imageHeight))",
        expected: imageWidth * imageHeight, actual: image.count)
    }
    rows.append(Row(title: title, images: images))
  }

  public var notes: [String] {
    let skipped = rows.reduce(0) { total, row in
      total + row.images.reduce(0) { $0 + $1.filter { !$0.isFinite }.count }
    }
    return skipped > 0 ? ["note: \(countedValues(skipped)) NaN or infinite, drawn red"] : []
  }

  static let padding = 12.0
  /// Canvas pixels between neighbouring images (room for each image's 1-pixel frame).
  static let gap = 4.0
  /// Canvas pixels between one row's images and the next row's title.
  static let rowGap = 10.0

  var columnCount: Int { columns ?? rows.map(\.images.count).max() ?? 0 }
  var hasRowTitles: Bool { rows.contains { $0.title != nil } }
  var titleHeight: Double { title == nil ? 0 : Double(BitmapFont.regular.lineHeight) + 14 }
  var rowTitleHeight: Double { hasRowTitles ? Double(BitmapFont.regular.lineHeight) + 4 : 0 }
  /// Height of everything but the images: title, row titles, gaps and padding.
  var fixedHeight: Double {
    titleHeight + Double(rows.count) * (rowTitleHeight + ImageGrid.rowGap) - ImageGrid.rowGap
      + 2 * ImageGrid.padding
  }
  var fixedWidth: Double { Double(max(columnCount - 1, 0)) * ImageGrid.gap + 2 * ImageGrid.padding }

  public var defaultSize: (width: Int, height: Int) {
    let width = 900
    let columns = max(columnCount, 1)
    let fitting = Int((Double(width) - fixedWidth) / Double(columns * max(imageWidth, 1)))
    let scale = max(1, min(largestDefaultScale, fitting))
    return (width, Int(fixedHeight) + rows.count * imageHeight * scale)
  }

  /// Where everything goes: the scale, and the top-left corner of each image, by row.
  struct Layout {
    var scale: Int
    var titleTop: Double
    var rowTitleTops: [Double]
    var left: Double
    var imageOrigins: [[Point]]
  }

  func layout(in area: Rect) throws -> Layout {
    let chart = title.map { "image grid '\($0)'" } ?? "image grid"
    guard imageWidth > 0, imageHeight > 0 else {
      throw PlotError.invalidArgument("\(chart): image size \(imageWidth)x\(imageHeight) must be positive")
    }
    guard valueRange.upperBound > valueRange.lowerBound, valueRange.lowerBound.isFinite,
      valueRange.upperBound.isFinite
    else {
      throw PlotError.invalidArgument(
        "\(chart): value range \(valueRange.lowerBound)...\(valueRange.upperBound) must be finite and not empty")
    }
    if let columns, columns < 1 {
      throw PlotError.invalidArgument("\(chart): columns \(columns) must be at least 1")
    }
    guard rows.contains(where: { !$0.images.isEmpty }) else { throw PlotError.noData(chart: chart) }
    let columns = columnCount
    let gridRows = rows.map { ($0.images.count + columns - 1) / columns }.map { max($0, 1) }
    let imageRows = gridRows.reduce(0, +)
    let extraLines = Double(imageRows - rows.count) * ImageGrid.gap
    let byWidth = (area.width - fixedWidth) / Double(columns * imageWidth)
    let byHeight = (area.height - fixedHeight - extraLines) / Double(imageRows * imageHeight)
    let scale = Int(min(byWidth, byHeight).rounded(.down))
    guard scale >= 1 else {
      throw PlotError.invalidArgument(
        "\(chart): \(imageRows) rows of \(columns) images of \(imageWidth)x\(imageHeight) do not fit in "
          + "\(Int(area.width))x\(Int(area.height)) pixels")
    }
    let side = (width: Double(imageWidth * scale), height: Double(imageHeight * scale))
    let gridWidth = Double(columns) * side.width + Double(columns - 1) * ImageGrid.gap
    // Whole pixels, so each image pixel covers exactly scale x scale canvas pixels.
    let left = (area.minX + (area.width - gridWidth) / 2).rounded(.down)
    var top = (area.minY + ImageGrid.padding + titleHeight).rounded(.down)
    var rowTitleTops: [Double] = []
    var origins: [[Point]] = []
    for (index, row) in rows.enumerated() {
      rowTitleTops.append(top)
      top += rowTitleHeight
      var points: [Point] = []
      for image in row.images.indices {
        let (line, column) = image.quotientAndRemainder(dividingBy: columns)
        points.append(
          Point(
            left + Double(column) * (side.width + ImageGrid.gap),
            top + Double(line) * (side.height + ImageGrid.gap)))
      }
      origins.append(points)
      top += Double(gridRows[index]) * side.height + Double(gridRows[index] - 1) * ImageGrid.gap + ImageGrid.rowGap
    }
    return Layout(
      scale: scale, titleTop: area.minY + 10, rowTitleTops: rowTitleTops, left: left, imageOrigins: origins)
  }

  /// The colour of one pixel value.
  func color(of value: Float) -> Color {
    guard value.isFinite else { return .noteRed }
    let fraction = (Double(value) - valueRange.lowerBound) / (valueRange.upperBound - valueRange.lowerBound)
    let level = UInt8(max(0, min(255, (255 * fraction).rounded())))
    let gray = inverted ? 255 - level : level
    return Color(red: gray, green: gray, blue: gray)
  }

  public func draw(on canvas: inout Canvas, in area: Rect) throws {
    let layout = try layout(in: area)
    let font = BitmapFont.regular
    if let title {
      canvas.drawText(
        font.truncated(title, toWidth: area.width - 24), at: Point(area.midX, layout.titleTop), font: font,
        horizontal: .center, vertical: .top)
    }
    let scale = Double(layout.scale)
    for (rowIndex, row) in rows.enumerated() {
      if let rowTitle = row.title {
        canvas.drawText(
          font.truncated(rowTitle, toWidth: area.maxX - layout.left - ImageGrid.padding),
          at: Point(layout.left, layout.rowTitleTops[rowIndex]), font: font)
      }
      if row.images.isEmpty {
        let top = layout.rowTitleTops[rowIndex] + rowTitleHeight
        canvas.drawText("(no images)", at: Point(layout.left, top + 4), font: font, color: .gray)
      }
      for (image, origin) in zip(row.images, layout.imageOrigins[rowIndex]) {
        let frame = Rect(
          x: origin.x - 1, y: origin.y - 1, width: Double(imageWidth) * scale + 2,
          height: Double(imageHeight) * scale + 2)
        canvas.stroke(frame, color: .lightGray)
        for y in 0..<imageHeight {
          for x in 0..<imageWidth {
            canvas.fill(
              Rect(x: origin.x + Double(x) * scale, y: origin.y + Double(y) * scale, width: scale, height: scale),
              color: color(of: image[y * imageWidth + x]))
          }
        }
      }
    }
    drawNotes(notes, in: area, on: &canvas)
  }
}
