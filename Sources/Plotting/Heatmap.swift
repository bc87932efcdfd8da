/// A matrix drawn as coloured cells with a colour bar: class-by-expert routing, confusion
/// matrices, accuracy matrices. Row 0 is at the top, as when reading the matrix.
///
///     let chart = Heatmap(title: "Routing", matrix: counts, rowLabels: classes,
///                         columnLabels: experts, annotate: true)
public struct Heatmap: Chart {
  public var title: String?
  public var xLabel: String?
  public var yLabel: String?
  public var rowLabels: [String]?
  public var columnLabels: [String]?
  /// Prints each cell's value in it, in black or white, whichever reads better on the cell.
  public var annotate: Bool
  public var colormap: Colormap
  /// Values mapped to the ends of the colour map; nil uses the matrix's minimum and maximum.
  public var valueRange: ClosedRange<Double>?
  public var colorbarLabel: String?
  /// Significant digits of the annotations.
  public var annotationDigits = 2
  let matrix: [[Double]]

  public init<T: BinaryFloatingPoint>(
    title: String? = nil, matrix: [[T]], rowLabels: [String]? = nil, columnLabels: [String]? = nil,
    xLabel: String? = nil, yLabel: String? = nil, annotate: Bool = false,
    colormap: Colormap = .viridis,
    valueRange: ClosedRange<Double>? = nil, colorbarLabel: String? = nil
  ) {
    self.title = title
    self.matrix = matrix.map(doubles)
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.annotate = annotate
    self.colormap = colormap
    self.valueRange = valueRange
    self.colorbarLabel = colorbarLabel
  }

  var columnCount: Int { matrix.first?.count ?? 0 }

  public var notes: [String] {
    let skipped = matrix.reduce(0) { $0 + $1.filter { !$0.isFinite }.count }
    return skipped > 0
      ? ["note: \(countedValues(skipped)) NaN or infinite, drawn as gray cells"] : []
  }

  struct Layout {
    var axes: AxesLayout
    var frame: PlotFrame
    var colorbar: Rect
    var range: (lower: Double, upper: Double)
    var colorbarTicks: AxisTicks
  }

  func layout(in area: Rect) throws -> Layout {
    let chart = title.map { "heatmap '\($0)'" } ?? "heatmap"
    guard !matrix.isEmpty, columnCount > 0 else { throw PlotError.noData(chart: chart) }
    for (index, row) in matrix.enumerated() where row.count != columnCount {
      throw PlotError.lengthMismatch(
        what: "heatmap row \(index)", expected: columnCount, actual: row.count)
    }
    if let rowLabels, rowLabels.count != matrix.count {
      throw PlotError.lengthMismatch(
        what: "heatmap row labels", expected: matrix.count, actual: rowLabels.count)
    }
    if let columnLabels, columnLabels.count != columnCount {
      throw PlotError.lengthMismatch(
        what: "heatmap column labels", expected: columnCount, actual: columnLabels.count)
    }
    let finite = matrix.flatMap { $0.filter(\.isFinite) }
    guard !finite.isEmpty else { throw PlotError.noData(chart: chart) }
    var range = valueRange.map { ($0.lowerBound, $0.upperBound) } ?? (finite.min()!, finite.max()!)
    if range.1 <= range.0 { range = AxisRange.padded(lower: range.0, upper: range.1, padding: 0) }
    let tickFont = AxesLayout.tickFont(for: area)
    let probeTicks = AxisTicks.linear(lower: range.0, upper: range.1, maximumCount: 8)
    let tickWidth = Double(probeTicks.labels.map { tickFont.width(of: $0) }.max() ?? 0)
    let barWidth = 18.0
    var reserved = 16 + barWidth + AxesLayout.tickLength + AxesLayout.tickGap + tickWidth
    if colorbarLabel != nil { reserved += 6 + Double(BitmapFont.regular.lineHeight) }
    let axes = AxesLayout(
      title: title, xLabel: xLabel, yLabel: yLabel,
      x: .categories(columnLabels ?? (0..<columnCount).map(String.init), reversed: false),
      y: .categories(rowLabels ?? (0..<matrix.count).map(String.init), reversed: true),
      showGrid: false,
      boxed: true, reservedRight: reserved, notes: notes)
    let frame = axes.layout(in: area)
    let plot = frame.plotArea
    let colorbar = Rect(x: plot.maxX + 16, y: plot.minY, width: barWidth, height: plot.height)
    let ticks = AxisTicks.linear(
      lower: range.0, upper: range.1, maximumCount: max(2, Int(plot.height / 40)))
    return Layout(axes: axes, frame: frame, colorbar: colorbar, range: range, colorbarTicks: ticks)
  }

  public func draw(on canvas: inout Canvas, in area: Rect) throws {
    let layout = try layout(in: area)
    let frame = layout.frame
    let (lower, upper) = layout.range
    let font =
      AxesLayout.tickFont(for: area).lineHeight >= BitmapFont.regular.lineHeight
      ? BitmapFont.regular : BitmapFont.small
    let decimals = annotationDecimals()
    for (rowIndex, row) in matrix.enumerated() {
      // Cell edges on whole pixels: neighbouring cells do not bleed into each other.
      let top = frame.y(Double(rowIndex) - 0.5).rounded()
      let bottom = frame.y(Double(rowIndex) + 0.5).rounded()
      for (columnIndex, value) in row.enumerated() {
        let left = frame.x(Double(columnIndex) - 0.5).rounded()
        let right = frame.x(Double(columnIndex) + 0.5).rounded()
        let cell = Rect(
          x: left, y: min(top, bottom), width: right - left, height: abs(bottom - top))
        let color =
          value.isFinite ? colormap.color(at: (value - lower) / (upper - lower)) : Color.lightGray
        canvas.fill(cell, color: color)
        guard annotate, value.isFinite else { continue }
        let text = annotationText(value, decimals: decimals)
        var chosen: BitmapFont? = nil
        for candidate in [font, BitmapFont.small]
        where Double(candidate.width(of: text)) <= cell.width - 4
          && Double(candidate.capHeight) <= cell.height - 4
        {
          chosen = candidate
          break
        }
        if let chosen {
          canvas.drawText(
            text, at: Point(cell.midX, cell.midY), font: chosen, color: color.contrastingText,
            horizontal: .center, vertical: .middle)
        }
      }
    }
    layout.axes.drawFront(frame, in: area, on: &canvas)
    drawColorbar(layout, in: area, on: &canvas)
  }

  /// One number of decimals for every cell, so a column of annotations lines up and 0.0015
  /// does not claim more precision than 0.51 beside it: `annotationDigits` significant digits
  /// of the largest value; none when every value is a whole number (counts).
  func annotationDecimals() -> Int? {
    let finite = matrix.flatMap { $0.filter(\.isFinite) }
    if finite.allSatisfy({ $0 == $0.rounded() && abs($0) < 1e9 }) { return 0 }
    let largest = finite.map { abs($0) }.max() ?? 0
    guard largest > 0, largest >= 1e-4, largest < 1e6 else { return nil }
    return max(0, annotationDigits - 1 - NumberFormat.decimalExponent(largest))
  }

  func annotationText(_ value: Double, decimals: Int?) -> String {
    guard let decimals else {
      return NumberFormat.compact(value, significantDigits: annotationDigits)
    }
    return NumberFormat.fixed(value, decimals: decimals)
  }

  func drawColorbar(_ layout: Layout, in area: Rect, on canvas: inout Canvas) {
    let bar = layout.colorbar
    let rows = Int(bar.height)
    for row in 0..<rows {
      // The bottom row is exactly the first colour, the top row exactly the last.
      let t = rows > 1 ? Double(rows - 1 - row) / Double(rows - 1) : 0
      canvas.fill(
        Rect(x: bar.minX, y: bar.minY + Double(row), width: bar.width, height: 1),
        color: colormap.color(at: t))
    }
    canvas.stroke(bar.inset(by: -1), color: .ink)
    let tickFont = AxesLayout.tickFont(for: area)
    let (lower, upper) = layout.range
    var widest = 0.0
    for (value, label) in zip(layout.colorbarTicks.values, layout.colorbarTicks.labels) {
      let row = (bar.maxY - 1 - (value - lower) / (upper - lower) * (bar.height - 1)).rounded(.down)
      canvas.fill(
        Rect(x: bar.maxX + 1, y: row, width: AxesLayout.tickLength, height: 1), color: .ink)
      let box = canvas.drawText(
        label, at: Point(bar.maxX + 1 + AxesLayout.tickLength + AxesLayout.tickGap, row + 0.5),
        font: tickFont,
        vertical: .middle)
      widest = max(widest, box.width)
    }
    if let colorbarLabel {
      let x = bar.maxX + 1 + AxesLayout.tickLength + AxesLayout.tickGap + widest + 6
      canvas.drawText(
        BitmapFont.regular.truncated(colorbarLabel, toWidth: bar.height), at: Point(x, bar.midY),
        horizontal: .center, vertical: .top, orientation: .upward)
    }
  }
}
