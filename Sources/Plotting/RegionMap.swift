/// Which expert wins where: a grid of integer labels over the input plane (for example the
/// arg-max of the gate at each grid point), drawn as coloured cells, one colour per expert,
/// optionally paler where the gate is less sure, with data points on top.
///
///     let grid = RegionMap.cellCenters(width: 200, height: 200, xRange: -3...3, yRange: -3...3)
///     // evaluate the gate at (grid.x[i], grid.y[i]) for every i ...
///     var map = RegionMap(title: "Expert regions", labels: winners, width: 200, height: 200,
///                         xRange: -3...3, yRange: -3...3, confidence: winningProbability,
///                         classNames: ["expert 1", "expert 2", "expert 3"])
///     map.addPoints(x: xs, y: ys, categories: classes)
///     try map.write(to: "Figures/chapter-06/regions.png")
///
/// Cells are stored row by row with row 0 at the bottom (`yRange.lowerBound`), like the
/// plane itself; cell (row, column) covers one `width`-th of `xRange` by one `height`-th of
/// `yRange`, and `cellCenters` gives the points to evaluate the gate at.
public struct RegionMap: Chart {
  struct PointSet {
    var x: [Double]
    var y: [Double]
    var categories: [Int]?
    var categoryNames: [String]?
    var color: Color?
    var label: String?
  }

  public var title: String?
  public var xLabel: String?
  public var yLabel: String?
  public var xRange: ClosedRange<Double>
  public var yRange: ClosedRange<Double>
  /// Names of the experts, in label order; the default is "expert 1", "expert 2", ...
  public var classNames: [String]?
  /// Darkens the cell edges where the winning expert changes.
  public var showBoundaries = true
  /// The legend stands right of the map; panels of a grid may leave it to one of them.
  public var showLegend = true
  /// Marker width of the data points, in pixels.
  public var pointSize = 6.0
  public let gridWidth: Int
  public let gridHeight: Int
  let labels: [Int]
  /// A second labelling of the same cells whose borders are drawn over the map, see `outline(labels:)`.
  var outlineLabels: [Int]?
  let confidence: [Double]?
  var pointSets: [PointSet] = []
  var inputProblem: PlotError?

  /// A map from a flat, row-major array of `width * height` labels (row 0 at the bottom).
  public init<T: BinaryFloatingPoint>(
    title: String? = nil, labels: [Int], width: Int, height: Int, xRange: ClosedRange<Double>,
    yRange: ClosedRange<Double>, confidence: [T]?, classNames: [String]? = nil,
    xLabel: String? = "x1",
    yLabel: String? = "x2"
  ) {
    self.title = title
    self.labels = labels
    self.gridWidth = width
    self.gridHeight = height
    self.xRange = xRange
    self.yRange = yRange
    self.confidence = confidence.map(doubles)
    self.classNames = classNames
    self.xLabel = xLabel
    self.yLabel = yLabel
    if width <= 0 || height <= 0 {
      inputProblem = .invalidArgument("region map: grid size \(width)x\(height) must be positive")
    } else if labels.count != width * height {
      inputProblem = .lengthMismatch(
        what: "region map labels (\(width)x\(height) grid)", expected: width * height,
        actual: labels.count)
    } else if let confidence, confidence.count != labels.count {
      inputProblem = .lengthMismatch(
        what: "region map confidence", expected: labels.count, actual: confidence.count)
    }
  }

  /// A map from a flat, row-major array of labels, without confidence shading.
  public init(
    title: String? = nil, labels: [Int], width: Int, height: Int, xRange: ClosedRange<Double>,
    yRange: ClosedRange<Double>, classNames: [String]? = nil, xLabel: String? = "x1",
    yLabel: String? = "x2"
  ) {
    self.init(
      title: title, labels: labels, width: width, height: height, xRange: xRange, yRange: yRange,
      confidence: [Float]?.none, classNames: classNames, xLabel: xLabel, yLabel: yLabel)
  }

  /// A map from rows of labels, `labels[0]` being the bottom row.
  public init(
    title: String? = nil, labels: [[Int]], xRange: ClosedRange<Double>, yRange: ClosedRange<Double>,
    confidence: [[Float]]? = nil, classNames: [String]? = nil, xLabel: String? = "x1",
    yLabel: String? = "x2"
  ) {
    let width = labels.first?.count ?? 0
    self.init(
      title: title, labels: labels.flatMap { $0 }, width: width, height: labels.count,
      xRange: xRange,
      yRange: yRange, confidence: confidence.map { $0.flatMap { $0 } }, classNames: classNames,
      xLabel: xLabel,
      yLabel: yLabel)
    if let ragged = labels.firstIndex(where: { $0.count != width }) {
      inputProblem = .lengthMismatch(
        what: "region map label row \(ragged)", expected: width, actual: labels[ragged].count)
    }
  }

  /// The centres of the grid's cells in the same order as `labels` (row 0 at the bottom):
  /// evaluate the gate at these points to fill the map.
  public static func cellCenters(
    width: Int, height: Int, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
  ) -> (x: [Float], y: [Float]) {
    var xs: [Float] = []
    var ys: [Float] = []
    xs.reserveCapacity(width * height)
    ys.reserveCapacity(width * height)
    let dx = (xRange.upperBound - xRange.lowerBound) / Double(width)
    let dy = (yRange.upperBound - yRange.lowerBound) / Double(height)
    for row in 0..<height {
      for column in 0..<width {
        xs.append(Float(xRange.lowerBound + (Double(column) + 0.5) * dx))
        ys.append(Float(yRange.lowerBound + (Double(row) + 0.5) * dy))
      }
    }
    return (xs, ys)
  }

  /// Overlays data points. With `categories` (one integer per point) each category gets its
  /// own marker shape, in black or white so it reads on every region colour; `color` draws
  /// all points in one colour instead.
  public mutating func addPoints<T: BinaryFloatingPoint, U: BinaryFloatingPoint>(
    x: [T], y: [U], categories: [Int]? = nil, categoryNames: [String]? = nil, color: Color? = nil,
    label: String? = nil
  ) {
    pointSets.append(
      PointSet(
        x: doubles(x), y: doubles(y), categories: categories, categoryNames: categoryNames,
        color: color, label: label))
  }

  /// Draws the borders of a second labelling of the same grid (same order and size as the map's
  /// labels) as dark lines two pixels wide over the cells: for a hierarchical mixture, the top
  /// gate's regions over a map coloured by leaf expert, so each group's sub-regions read inside
  /// their parent region. A labelling of another size makes `render` and `write` throw.
  public mutating func outline(labels outline: [Int]) {
    if outline.count != labels.count {
      inputProblem =
        inputProblem
        ?? .lengthMismatch(
          what: "region map outline labels (\(gridWidth)x\(gridHeight) grid)", expected: labels.count,
          actual: outline.count)
    }
    outlineLabels = outline
  }

  var expertCount: Int {
    classNames?.count ?? max(1, (labels.max() ?? 0) + 1)
  }

  var expertNames: [String] {
    classNames ?? (0..<expertCount).map { "expert \($0 + 1)" }
  }

  public var notes: [String] {
    var notes: [String] = []
    // `expertCount` scans the labels: read it once, not once per label.
    let experts = expertCount
    let unknown = labels.filter { $0 < 0 || $0 >= experts }.count
    if unknown > 0 { notes.append("note: \(unknown) cells have no valid expert label, drawn gray") }
    if let confidence {
      let bad = confidence.filter { !$0.isFinite }.count
      if bad > 0 {
        notes.append("note: \(bad) cells have NaN or infinite confidence, drawn palest")
      }
    }
    for set in pointSets where set.x.count == set.y.count {
      let skipped = zip(set.x, set.y).filter { !$0.0.isFinite || !$0.1.isFinite }.count
      if skipped > 0 {
        notes.append("note: skipped \(skipped) data points with NaN or infinite coordinates")
      }
    }
    return notes
  }

  /// Marker and colours of point category `category`: shapes differ, fills alternate between
  /// white and black so points stand out on light and dark regions alike.
  static func pointStyle(_ category: Int) -> (marker: Marker, fill: Color, outline: Color) {
    let marker = Marker.at(category)
    return category % 2 == 0 ? (marker, .white, .ink) : (marker, .ink, .white)
  }

  func legend(font: BitmapFont) -> Legend {
    var sections = [
      Legend.Section(
        title: nil,
        entries: expertNames.enumerated().map {
          LegendEntry(label: $1, color: Palette.color($0), symbol: .patch)
        })
    ]
    for set in pointSets {
      if let categories = set.categories, set.color == nil {
        let count = max(set.categoryNames?.count ?? 0, (categories.max() ?? -1) + 1)
        let entries = (0..<count).map { category -> LegendEntry in
          let style = RegionMap.pointStyle(category)
          let name =
            set.categoryNames.flatMap { category < $0.count ? $0[category] : nil }
            ?? "class \(category)"
          return LegendEntry(
            label: name, color: style.fill, symbol: .marker(style.marker, outline: style.outline))
        }
        sections.append(Legend.Section(title: set.label, entries: entries))
      } else if let label = set.label {
        let fill = set.color ?? .ink
        sections.append(
          Legend.Section(
            title: nil,
            entries: [
              LegendEntry(label: label, color: fill, symbol: .marker(.circle, outline: .white))
            ]))
      }
    }
    return Legend(
      sections: sections, footnote: confidence == nil ? nil : "paler = lower gate probability",
      font: font)
  }

  func withoutLegend() -> RegionMap {
    var copy = self
    copy.showLegend = false
    return copy
  }

  func layout(in area: Rect) throws -> (axes: AxesLayout, frame: PlotFrame, legend: Legend) {
    if let inputProblem { throw inputProblem }
    guard xRange.upperBound > xRange.lowerBound, yRange.upperBound > yRange.lowerBound else {
      throw PlotError.invalidArgument("region map: xRange and yRange must have positive length")
    }
    for set in pointSets {
      guard set.x.count == set.y.count else {
        throw PlotError.lengthMismatch(
          what: "region map points: x and y", expected: set.x.count, actual: set.y.count)
      }
      if let categories = set.categories, categories.count != set.x.count {
        throw PlotError.lengthMismatch(
          what: "region map point categories", expected: set.x.count, actual: categories.count)
      }
    }
    let legend = legend(font: AxesLayout.tickFont(for: area))
    let xSpan = xRange.upperBound - xRange.lowerBound
    let ySpan = yRange.upperBound - yRange.lowerBound
    let axes = AxesLayout(
      title: title, xLabel: xLabel, yLabel: yLabel,
      x: .numeric(lower: xRange.lowerBound, upper: xRange.upperBound, scale: .linear),
      y: .numeric(lower: yRange.lowerBound, upper: yRange.upperBound, scale: .linear),
      showGrid: false, boxed: true,
      reservedRight: showLegend ? legend.size.width + 16 : 0, notes: notes,
      // The plane keeps its shape unless that would make the plot a sliver.
      equalAspect: max(xSpan / ySpan, ySpan / xSpan) <= 3)
    return (axes, axes.layout(in: area), legend)
  }

  func cellColors() -> [Color] {
    let experts = expertCount
    let floor = 1 / Double(experts)
    return labels.indices.map { index in
      let label = labels[index]
      guard label >= 0, label < experts else { return .lightGray }
      let color = Palette.color(label)
      guard let confidence else { return color }
      // A gate probability of 1/K (no preference) is palest, 1 is the full colour.
      let p = confidence[index].isFinite ? confidence[index] : floor
      let sureness = experts > 1 ? max(0, min(1, (p - floor) / (1 - floor))) : 1
      return Color.white.mixed(with: color, amount: 0.2 + 0.8 * sureness)
    }
  }

  public func draw(on canvas: inout Canvas, in area: Rect) throws {
    let (axes, frame, legend) = try layout(in: area)
    let plot = frame.plotArea
    let box = Canvas.pixelBox(covering: plot).intersection(canvas.clipBox)
    if !box.isEmpty {
      drawCells(in: plot, box: box, on: &canvas)
    }
    let savedClip = canvas.clipRect
    canvas.clipRect = plot
    for set in pointSets {
      for index in set.x.indices where set.x[index].isFinite && set.y[index].isFinite {
        let center = frame.point(set.x[index], set.y[index])
        if let color = set.color {
          canvas.drawMarker(.circle, at: center, size: pointSize, fill: color, outline: .white)
        } else {
          let style = RegionMap.pointStyle(set.categories?[index] ?? 0)
          canvas.drawMarker(
            style.marker, at: center, size: pointSize, fill: style.fill, outline: style.outline)
        }
      }
    }
    canvas.clipRect = savedClip
    axes.drawFront(frame, in: area, on: &canvas)
    if showLegend { legend.draw(at: Point(plot.maxX + 14, plot.minY), on: &canvas) }
  }

  /// Fills the plot area pixel by pixel from the cell under each pixel's centre.
  func drawCells(in plot: Rect, box: PixelBox, on canvas: inout Canvas) {
    let colors = cellColors()
    let columns = (box.minX..<box.maxX).map { x in
      min(
        gridWidth - 1, max(0, Int((Double(x) + 0.5 - plot.minX) / plot.width * Double(gridWidth))))
    }
    let rows = (box.minY..<box.maxY).map { y in
      gridHeight - 1
        - min(
          gridHeight - 1,
          max(0, Int((Double(y) + 0.5 - plot.minY) / plot.height * Double(gridHeight))))
    }
    let canvasWidth = canvas.width
    let boundary = Color.black.withOpacity(0.45)
    let drawBoundaries = showBoundaries
    let outline = outlineLabels.flatMap { $0.count == labels.count ? $0 : nil }
    canvas.pixels.withUnsafeMutableBufferPointer { buffer in
      labels.withUnsafeBufferPointer { labels in
        for (j, row) in rows.enumerated() {
          let y = box.minY + j
          let rowStart = row * gridWidth
          let rowBelow = j + 1 < rows.count ? rows[j + 1] * gridWidth : rowStart
          for (i, column) in columns.enumerated() {
            let cell = rowStart + column
            let color = colors[cell]
            let index = (y * canvasWidth + box.minX + i) * 4
            buffer[index] = color.red
            buffer[index + 1] = color.green
            buffer[index + 2] = color.blue
            buffer[index + 3] = 255
            guard drawBoundaries else { continue }
            // A pixel is on a boundary when the expert to its right or below differs.
            let label = labels[cell]
            let right = i + 1 < columns.count ? labels[rowStart + columns[i + 1]] : label
            let below = labels[rowBelow + column]
            if right != label || below != label { Canvas.blend(buffer, index, boundary, 1) }
          }
        }
      }
    }
    if let outline { drawOutline(outline, columns: columns, rows: rows, box: box, on: &canvas) }
  }

  /// Darkens every pixel whose neighbour on any side lies in a cell of another outline label: the
  /// border then straddles the cell edge, one pixel on each side.
  func drawOutline(_ outline: [Int], columns: [Int], rows: [Int], box: PixelBox, on canvas: inout Canvas) {
    let canvasWidth = canvas.width
    canvas.pixels.withUnsafeMutableBufferPointer { buffer in
      outline.withUnsafeBufferPointer { outline in
        func label(_ i: Int, _ j: Int) -> Int {
          outline[rows[max(0, min(rows.count - 1, j))] * gridWidth + columns[max(0, min(columns.count - 1, i))]]
        }
        for j in rows.indices {
          for i in columns.indices {
            let own = label(i, j)
            guard own != label(i + 1, j) || own != label(i - 1, j) || own != label(i, j + 1) || own != label(i, j - 1)
            else { continue }
            let index = ((box.minY + j) * canvasWidth + box.minX + i) * 4
            buffer[index] = Color.ink.red
            buffer[index + 1] = Color.ink.green
            buffer[index + 2] = Color.ink.blue
          }
        }
      }
    }
  }
}
