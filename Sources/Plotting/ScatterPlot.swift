/// Points in the plane, one marker shape and colour per series.
///
///     var plot = ScatterPlot(title: "Gate input", xLabel: "x1", yLabel: "x2")
///     plot.add(series: "class 0", x: xs0, y: ys0)
///     plot.add(series: "class 1", x: xs1, y: ys1)
public struct ScatterPlot: Chart {
  struct Series {
    var name: String
    var x: [Double]
    var y: [Double]
    var color: Color?
    var marker: Marker?
    var size: Double
  }

  public var title: String?
  public var xLabel: String?
  public var yLabel: String?
  public var showGrid = true
  public var legendPosition = LegendPosition.automatic
  /// Same scale on both axes, for data in the input plane.
  public var equalAspect = false
  public var xRange: ClosedRange<Double>?
  public var yRange: ClosedRange<Double>?
  var series: [Series] = []

  public init(title: String? = nil, xLabel: String? = nil, yLabel: String? = nil) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// Adds a series of points; `size` is the marker's width in pixels.
  public mutating func add<T: BinaryFloatingPoint, U: BinaryFloatingPoint>(
    series name: String, x: [T], y: [U], color: Color? = nil, marker: Marker? = nil,
    size: Double = 7
  ) {
    series.append(
      Series(name: name, x: doubles(x), y: doubles(y), color: color, marker: marker, size: size))
  }

  func finitePoints(_ item: Series) -> [(x: Double, y: Double)] {
    zip(item.x, item.y).filter { $0.0.isFinite && $0.1.isFinite }.map { (x: $0.0, y: $0.1) }
  }

  public var notes: [String] {
    series.compactMap { item in
      guard item.x.count == item.y.count else { return nil }
      let skipped = item.x.count - finitePoints(item).count
      return skipped > 0
        ? "note: skipped \(countedValues(skipped)) in '\(item.name)' (NaN or infinite)" : nil
    }
  }

  func legend(font: BitmapFont) -> Legend {
    let entries = series.enumerated().map { index, item in
      LegendEntry(
        label: item.name, color: item.color ?? Palette.color(index),
        symbol: .marker(item.marker ?? Marker.at(index), outline: nil))
    }
    return Legend(sections: [Legend.Section(title: nil, entries: entries)], font: font)
  }

  func withoutLegend() -> ScatterPlot {
    var copy = self
    copy.legendPosition = .hidden
    return copy
  }

  public func draw(on canvas: inout Canvas, in area: Rect) throws {
    let chart = title.map { "scatter plot '\($0)'" } ?? "scatter plot"
    guard !series.isEmpty else { throw PlotError.noData(chart: chart) }
    for item in series {
      guard !item.y.isEmpty || !item.x.isEmpty else { throw PlotError.emptySeries(name: item.name) }
      guard item.x.count == item.y.count else {
        throw PlotError.lengthMismatch(
          what: "series '\(item.name)': x and y", expected: item.x.count, actual: item.y.count)
      }
    }
    let points = series.map(finitePoints)
    let all = points.flatMap { $0 }
    guard !all.isEmpty else { throw PlotError.noData(chart: chart) }
    let xBounds =
      xRange.map { ($0.lowerBound, $0.upperBound) }
      ?? AxisRange.padded(lower: all.map(\.x).min()!, upper: all.map(\.x).max()!)
    let yBounds =
      yRange.map { ($0.lowerBound, $0.upperBound) }
      ?? AxisRange.padded(lower: all.map(\.y).min()!, upper: all.map(\.y).max()!)
    var axes = AxesLayout(
      title: title, xLabel: xLabel, yLabel: yLabel,
      x: .numeric(lower: xBounds.0, upper: xBounds.1, scale: .linear),
      y: .numeric(lower: yBounds.0, upper: yBounds.1, scale: .linear), showGrid: showGrid,
      notes: notes,
      equalAspect: equalAspect)
    let legend = legend(font: AxesLayout.tickFont(for: area))
    var frame = axes.layout(in: area)
    var legendOrigin: Point? = nil
    if legendPosition == .outside || (legendPosition == .automatic && series.count > 1) {
      let obstacles = zip(series, points).flatMap { item, points in
        points.map { p -> Rect in
          let c = frame.point(p.x, p.y)
          return Rect(
            x: c.x - item.size / 2, y: c.y - item.size / 2, width: item.size, height: item.size)
        }
      }
      legendOrigin = legend.place(
        in: area, axes: &axes, frame: &frame, avoiding: obstacles, automatic: legendPosition == .automatic)
    }
    axes.drawBehind(frame, on: &canvas)
    let savedClip = canvas.clipRect
    canvas.clipRect = frame.plotArea
    for (index, item) in series.enumerated() {
      let color = item.color ?? Palette.color(index)
      let marker = item.marker ?? Marker.at(index)
      // A darker rim keeps overlapping points of one series apart.
      let outline = color.mixed(with: .black, amount: 0.35)
      for p in points[index] {
        canvas.drawMarker(
          marker, at: frame.point(p.x, p.y), size: item.size, fill: color.withOpacity(0.85),
          outline: outline)
      }
    }
    canvas.clipRect = savedClip
    axes.drawFront(frame, in: area, on: &canvas)
    if let legendOrigin { legend.draw(at: legendOrigin, on: &canvas) }
  }
}
