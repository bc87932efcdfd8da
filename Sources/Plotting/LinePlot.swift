/// How a line is stroked.
public enum LineStyle: Sendable {
  case solid
  /// Dashes tell two series of the same colour apart (train vs validation).
  case dashed
}

/// Lines over a shared x axis: loss curves, accuracy over epochs, model A vs model B.
///
///     var plot = LinePlot(title: "Training loss", xLabel: "epoch", yLabel: "MSE", yScale: .log)
///     plot.add(series: "mixture", y: losses)
///     try plot.write(to: "Figures/chapter-05/loss.png")
///
/// NaN and infinite values (and values <= 0 on a log axis) are skipped: the line breaks there
/// and the figure says how many were skipped.
public struct LinePlot: Chart {
  struct Series {
    var name: String
    var x: [Double]?
    /// x holds whole numbers (indices or the `[Int]` overload): the axis then gets no 1.5 ticks.
    var integerX = false
    var y: [Double]
    var color: Color?
    var style: LineStyle
    var marker: Marker?
    var lineWidth: Double
  }

  public var title: String?
  public var xLabel: String?
  public var yLabel: String?
  public var yScale: AxisScale
  public var showGrid = true
  /// Draws a marker at every point (thinned to about 60 per series) in addition to the line.
  public var showMarkers = false
  public var legendPosition = LegendPosition.automatic
  /// Fixed axis ranges; nil fits the data.
  public var xRange: ClosedRange<Double>?
  public var yRange: ClosedRange<Double>?
  var series: [Series] = []

  public init(
    title: String? = nil, xLabel: String? = nil, yLabel: String? = nil, yScale: AxisScale = .linear
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.yScale = yScale
  }

  /// Adds a series plotted against 0, 1, 2, ... (epochs, steps).
  public mutating func add<T: BinaryFloatingPoint>(
    series name: String, y: [T], color: Color? = nil, style: LineStyle = .solid,
    marker: Marker? = nil,
    lineWidth: Double = 2
  ) {
    series.append(
      Series(
        name: name, x: nil, y: doubles(y), color: color, style: style, marker: marker,
        lineWidth: lineWidth))
  }

  /// Adds a series with explicit x values (same count as `y`).
  public mutating func add<T: BinaryFloatingPoint, U: BinaryFloatingPoint>(
    series name: String, x: [T], y: [U], color: Color? = nil, style: LineStyle = .solid,
    marker: Marker? = nil,
    lineWidth: Double = 2
  ) {
    series.append(
      Series(
        name: name, x: doubles(x), y: doubles(y), color: color, style: style, marker: marker,
        lineWidth: lineWidth))
  }

  /// Adds a series with integer x values (epochs, numbers of experts).
  public mutating func add<U: BinaryFloatingPoint>(
    series name: String, x: [Int], y: [U], color: Color? = nil, style: LineStyle = .solid,
    marker: Marker? = nil,
    lineWidth: Double = 2
  ) {
    series.append(
      Series(
        name: name, x: x.map { Double($0) }, integerX: true, y: doubles(y), color: color, style: style,
        marker: marker, lineWidth: lineWidth))
  }

  /// A series split into runs of drawable points, with counts of what was skipped.
  struct Prepared {
    var runs: [[(x: Double, y: Double)]] = []
    var nonFinite = 0
    var nonPositive = 0
  }

  func prepare(_ series: Series) -> Prepared {
    var prepared = Prepared()
    var run: [(x: Double, y: Double)] = []
    for index in series.y.indices {
      let x = series.x?[index] ?? Double(index)
      let y = series.y[index]
      var drawable = true
      if !x.isFinite || !y.isFinite {
        prepared.nonFinite += 1
        drawable = false
      } else if yScale == .logarithmic && y <= 0 {
        prepared.nonPositive += 1
        drawable = false
      }
      if drawable {
        run.append((x, y))
      } else if !run.isEmpty {
        prepared.runs.append(run)
        run = []
      }
    }
    if !run.isEmpty { prepared.runs.append(run) }
    return prepared
  }

  public var notes: [String] {
    var notes: [String] = []
    for item in series {
      if let x = item.x, x.count != item.y.count { continue }
      let prepared = prepare(item)
      if prepared.nonFinite > 0 {
        notes.append(
          "note: skipped \(countedValues(prepared.nonFinite)) in '\(item.name)' (NaN or infinite)")
      }
      if prepared.nonPositive > 0 {
        notes.append(
          "note: skipped \(countedValues(prepared.nonPositive)) <= 0 in '\(item.name)' (log scale)")
      }
    }
    return notes
  }

  func validate() throws {
    let chart = title.map { "line plot '\($0)'" } ?? "line plot"
    guard !series.isEmpty else { throw PlotError.noData(chart: chart) }
    for item in series {
      guard !item.y.isEmpty else { throw PlotError.emptySeries(name: item.name) }
      if let x = item.x, x.count != item.y.count {
        throw PlotError.lengthMismatch(
          what: "series '\(item.name)': x and y", expected: item.y.count, actual: x.count)
      }
    }
  }

  struct Layout {
    var axes: AxesLayout
    var frame: PlotFrame
    var prepared: [Prepared]
    var legend: Legend
    var legendOrigin: Point?
  }

  func layout(in area: Rect) throws -> Layout {
    try validate()
    let prepared = series.map(prepare)
    let points = prepared.flatMap { $0.runs.flatMap { $0 } }
    guard !points.isEmpty else {
      throw PlotError.noData(chart: title.map { "line plot '\($0)'" } ?? "line plot")
    }

    // Markers at the ends would be cut in half by the plot's edge without a little room.
    let hasMarkers = series.indices.contains { markerFor($0) != nil }
    let xs = points.map(\.x)
    let ys = points.map(\.y)
    let xBounds =
      xRange.map { ($0.lowerBound, $0.upperBound) }
      ?? AxisRange.padded(lower: xs.min()!, upper: xs.max()!, padding: hasMarkers ? 0.03 : 0)
    let yBounds =
      yRange.map { ($0.lowerBound, $0.upperBound) }
      ?? (yScale == .logarithmic
        ? AxisRange.paddedLogarithmic(lower: ys.min()!, upper: ys.max()!)
        : AxisRange.padded(lower: ys.min()!, upper: ys.max()!))
    var axes = AxesLayout(
      title: title, xLabel: xLabel, yLabel: yLabel,
      x: .numeric(
        lower: xBounds.0, upper: xBounds.1, scale: .linear,
        integers: series.allSatisfy { $0.x == nil || $0.integerX }),
      y: .numeric(lower: yBounds.0, upper: yBounds.1, scale: yScale), showGrid: showGrid,
      notes: notes)

    let legend = legend(font: AxesLayout.tickFont(for: area))
    var frame = axes.layout(in: area)
    var legendOrigin: Point? = nil
    if !legend.isEmpty
      && (legendPosition == .outside || (legendPosition == .automatic && series.count > 1))
    {
      let obstacles = prepared.flatMap { item in
        item.runs.flatMap { run in obstacleSamples(along: run.map { frame.point($0.x, $0.y) }) }
      }
      legendOrigin = legend.place(
        in: area, axes: &axes, frame: &frame, avoiding: obstacles, automatic: legendPosition == .automatic)
    }
    return Layout(
      axes: axes, frame: frame, prepared: prepared, legend: legend, legendOrigin: legendOrigin)
  }

  public func draw(on canvas: inout Canvas, in area: Rect) throws {
    let layout = try layout(in: area)
    let (axes, frame, prepared, legend, legendOrigin) = (
      layout.axes, layout.frame, layout.prepared, layout.legend, layout.legendOrigin
    )
    axes.drawBehind(frame, on: &canvas)
    let savedClip = canvas.clipRect
    canvas.clipRect = frame.plotArea
    for (index, item) in series.enumerated() {
      let color = item.color ?? Palette.color(index)
      for run in prepared[index].runs {
        let pixels = run.map { frame.point($0.x, $0.y) }
        switch item.style {
        case .solid: canvas.drawPolyline(pixels, width: item.lineWidth, color: color)
        case .dashed:
          for dash in dashes(
            along: pixels, dash: 4 * item.lineWidth + 4, gap: 2 * item.lineWidth + 3)
          {
            canvas.drawPolyline(dash, width: item.lineWidth, color: color)
          }
        }
      }
      if let marker = markerFor(index) {
        let all = prepared[index].runs.flatMap { $0 }
        let stride = max(1, (all.count + 59) / 60)
        for pointIndex in Swift.stride(from: 0, to: all.count, by: stride) {
          let p = all[pointIndex]
          canvas.drawMarker(
            marker, at: frame.point(p.x, p.y), size: 8, fill: color, outline: .white)
        }
      }
    }
    canvas.clipRect = savedClip
    axes.drawFront(frame, in: area, on: &canvas)
    if let legendOrigin { legend.draw(at: legendOrigin, on: &canvas) }
  }

  func markerFor(_ index: Int) -> Marker? {
    series[index].marker ?? (showMarkers ? Marker.at(index) : nil)
  }

  func legend(font: BitmapFont) -> Legend {
    Legend(sections: [Legend.Section(title: nil, entries: legendEntries())], font: font)
  }

  func withoutLegend() -> LinePlot {
    var copy = self
    copy.legendPosition = .hidden
    return copy
  }

  func legendEntries() -> [LegendEntry] {
    series.enumerated().map { index, item in
      LegendEntry(
        label: item.name, color: item.color ?? Palette.color(index),
        symbol: .line(
          width: item.lineWidth, dashed: item.style == .dashed, marker: markerFor(index)))
    }
  }
}

/// Splits a polyline into dashes of `dash` pixels separated by `gap` pixels, measured along it.
func dashes(along points: [Point], dash: Double, gap: Double) -> [[Point]] {
  guard points.count > 1 else { return [points] }
  var result: [[Point]] = []
  var current: [Point] = [points[0]]
  var drawing = true
  var remaining = dash
  for index in 1..<points.count {
    var a = points[index - 1]
    let b = points[index]
    var length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
    while length > remaining {
      let t = remaining / length
      let split = Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)
      if drawing {
        current.append(split)
        result.append(current)
        current = []
      } else {
        current = [split]
      }
      drawing.toggle()
      length -= remaining
      remaining = drawing ? dash : gap
      a = split
    }
    remaining -= length
    if drawing { current.append(b) }
  }
  if drawing && current.count > 1 { result.append(current) }
  return result
}
