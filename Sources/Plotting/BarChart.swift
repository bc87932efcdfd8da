/// Grouped bars: one group per category on the x axis, one bar per series in each group.
///
///     var chart = BarChart(title: "Expert utilization", groups: ["expert 1", "expert 2", "expert 3"],
///                          yLabel: "fraction of tokens")
///     chart.add(series: "without balancing loss", values: before)
///     chart.add(series: "with balancing loss", values: after)
public struct BarChart: Chart {
  struct Series {
    var name: String
    var values: [Double]
    var color: Color?
  }

  public var title: String?
  public var xLabel: String?
  public var yLabel: String?
  public var groups: [String]
  /// Prints each bar's value above it (below it for negative values).
  public var showValues = false
  public var showGrid = true
  public var legendPosition = LegendPosition.automatic
  public var yRange: ClosedRange<Double>?
  var series: [Series] = []

  public init(title: String? = nil, groups: [String], xLabel: String? = nil, yLabel: String? = nil) {
    self.title = title
    self.groups = groups
    self.xLabel = xLabel
    self.yLabel = yLabel
  }

  /// A chart with a single series of one value per group.
  public init<T: BinaryFloatingPoint>(
    title: String? = nil, groups: [String], values: [T], xLabel: String? = nil,
    yLabel: String? = nil
  ) {
    self.init(title: title, groups: groups, xLabel: xLabel, yLabel: yLabel)
    add(series: "", values: values)
  }

  /// Adds one bar per group; `values` has one entry per group.
  public mutating func add<T: BinaryFloatingPoint>(
    series name: String, values: [T], color: Color? = nil
  ) {
    series.append(Series(name: name, values: doubles(values), color: color))
  }

  public var notes: [String] {
    series.compactMap { item in
      let skipped = item.values.filter { !$0.isFinite }.count
      let label = item.name.isEmpty ? "the bars" : "'\(item.name)'"
      return skipped > 0
        ? "note: skipped \(countedValues(skipped)) in \(label) (NaN or infinite)" : nil
    }
  }

  func legend(font: BitmapFont) -> Legend {
    let entries = series.enumerated().map { index, item in
      LegendEntry(label: item.name, color: item.color ?? Palette.color(index), symbol: .patch)
    }
    return Legend(sections: [Legend.Section(title: nil, entries: entries)], font: font)
  }

  func withoutLegend() -> BarChart {
    var copy = self
    copy.legendPosition = .hidden
    return copy
  }

  public func draw(on canvas: inout Canvas, in area: Rect) throws {
    let chart = title.map { "bar chart '\($0)'" } ?? "bar chart"
    guard !groups.isEmpty, !series.isEmpty else { throw PlotError.noData(chart: chart) }
    for item in series {
      guard !item.values.isEmpty else {
        throw PlotError.emptySeries(name: item.name.isEmpty ? "bars" : item.name)
      }
      guard item.values.count == groups.count else {
        throw PlotError.lengthMismatch(
          what: "series '\(item.name)': one value per group", expected: groups.count,
          actual: item.values.count)
      }
    }
    let finite = series.flatMap { $0.values.filter(\.isFinite) }
    guard !finite.isEmpty else { throw PlotError.noData(chart: chart) }
    let yBounds =
      yRange.map { ($0.lowerBound, $0.upperBound) }
      ?? AxisRange.padded(
        lower: finite.min()!, upper: finite.max()!, padding: 0.08, includeZero: true)
    var axes = AxesLayout(
      title: title, xLabel: xLabel, yLabel: yLabel, x: .categories(groups, reversed: false),
      y: .numeric(lower: yBounds.0, upper: yBounds.1, scale: .linear), showGrid: showGrid,
      notes: notes)
    let named = series.contains { !$0.name.isEmpty }
    let legend = legend(font: AxesLayout.tickFont(for: area))

    func bars(in frame: PlotFrame) -> [(rect: Rect, value: Double, color: Color)] {
      let slot = frame.plotArea.width / Double(groups.count)
      // Groups fill 80% of their slot; bars in a group touch, which reads as "one group".
      let barWidth = slot * 0.8 / Double(series.count)
      let base = frame.y(max(yBounds.0, min(yBounds.1, 0)))
      var result: [(Rect, Double, Color)] = []
      for (seriesIndex, item) in series.enumerated() {
        let color = item.color ?? Palette.color(seriesIndex)
        for (group, value) in item.values.enumerated() where value.isFinite {
          let left = frame.x(Double(group)) - slot * 0.4 + Double(seriesIndex) * barWidth
          let top = frame.y(value)
          result.append(
            (
              Rect(x: left, y: min(top, base), width: barWidth, height: abs(top - base)), value,
              color
            ))
        }
      }
      return result
    }

    var frame = axes.layout(in: area)
    var legendOrigin: Point? = nil
    if named && (legendPosition == .outside || (legendPosition == .automatic && series.count > 1)) {
      let obstacles = bars(in: frame).map {
        $0.rect.inset(top: -Double(BitmapFont.small.lineHeight) - 2)
      }
      legendOrigin = legend.place(
        in: area, axes: &axes, frame: &frame, avoiding: obstacles, automatic: legendPosition == .automatic)
    }
    axes.drawBehind(frame, on: &canvas)
    let savedClip = canvas.clipRect
    canvas.clipRect = frame.plotArea
    let drawn = bars(in: frame)
    for bar in drawn {
      canvas.fill(bar.rect, color: bar.color)
      // A white hairline between touching bars keeps similar colours apart.
      canvas.fill(
        Rect(x: bar.rect.maxX - 1, y: bar.rect.minY, width: 1, height: bar.rect.height),
        color: Color.white.withOpacity(0.8))
    }
    canvas.clipRect = savedClip
    axes.drawFront(frame, in: area, on: &canvas)
    if showValues {
      let font = BitmapFont.small
      for bar in drawn {
        let text = NumberFormat.compact(bar.value, significantDigits: 3)
        guard Double(font.width(of: text)) <= bar.rect.width + 8 else { continue }
        if bar.value >= 0 {
          canvas.drawText(
            text, at: Point(bar.rect.midX, bar.rect.minY - 2), font: font, horizontal: .center,
            vertical: .bottom)
        } else {
          canvas.drawText(
            text, at: Point(bar.rect.midX, bar.rect.maxY + 2), font: font, horizontal: .center,
            vertical: .top)
        }
      }
    }
    if let legendOrigin { legend.draw(at: legendOrigin, on: &canvas) }
  }
}
