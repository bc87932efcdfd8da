/// How an axis maps data values to positions.
public enum AxisScale: Sendable {
  case linear
  /// Base-10 logarithmic; only positive values can be shown.
  case logarithmic
}

/// What an axis shows: a numeric range, or named categories at positions 0, 1, 2, ...
enum AxisContent {
  /// `integers`: only whole-number ticks on a linear axis (depths, counts: no 1.5).
  case numeric(lower: Double, upper: Double, scale: AxisScale, integers: Bool = false)
  /// Categories centred on integer positions; `reversed` puts the first one at the top of a
  /// vertical axis (heatmap rows read top to bottom).
  case categories([String], reversed: Bool)
}

/// One resolved axis: its range, scale and ticks.
struct Axis {
  var lower: Double
  var upper: Double
  var scale: AxisScale
  var ticks: AxisTicks

  /// Position of `value` along the axis, 0 at `lower` and 1 at `upper`.
  func fraction(_ value: Double) -> Double {
    switch scale {
    case .linear:
      return (value - lower) / (upper - lower)
    case .logarithmic:
      return (log10Of(value) - log10Of(lower)) / (log10Of(upper) - log10Of(lower))
    }
  }
}

/// The plot area of a laid-out chart and the mapping from data to pixels.
struct PlotFrame {
  var plotArea: Rect
  var xAxis: Axis
  var yAxis: Axis
  var tickFont: BitmapFont
  var xLabelsUpward: Bool

  func x(_ value: Double) -> Double { plotArea.minX + xAxis.fraction(value) * plotArea.width }
  func y(_ value: Double) -> Double { plotArea.maxY - yAxis.fraction(value) * plotArea.height }
  func point(_ x: Double, _ y: Double) -> Point { Point(self.x(x), self.y(y)) }
}

/// The frame around a chart: title, axes with ticks and labels, grid, notes.
///
/// Layout measures the text first and gives the plot area whatever is left, so labels never
/// overlap the data or each other.
struct AxesLayout {
  var title: String?
  var xLabel: String?
  var yLabel: String?
  var x: AxisContent
  var y: AxisContent
  var showGrid = true
  /// Draw all four sides (images: heatmaps, region maps) instead of only left and bottom.
  var boxed = false
  /// Width kept free right of the plot for a legend or colour bar.
  var reservedRight: Double = 0
  var notes: [String] = []
  /// Same pixels per unit on both axes, so circles in the data stay circles.
  var equalAspect = false

  static let padding = 12.0
  static let tickLength = 5.0
  static let tickGap = 3.0

  static func tickFont(for area: Rect) -> BitmapFont {
    area.width < 480 || area.height < 360 ? .small : .regular
  }

  func layout(in area: Rect) -> PlotFrame {
    let labelFont = BitmapFont.regular
    let tickFont = AxesLayout.tickFont(for: area)
    let padding = AxesLayout.padding
    var top = area.minY + padding
    if title != nil { top += Double(labelFont.lineHeight) + 6 }
    var bottomReserve = padding
    if !notes.isEmpty { bottomReserve += Double(notes.count * BitmapFont.small.lineHeight) + 4 }
    if xLabel != nil { bottomReserve += Double(labelFont.lineHeight) + 2 }
    let tickSpace = AxesLayout.tickLength + AxesLayout.tickGap
    var xTickLabelHeight = Double(tickFont.lineHeight)
    var xLabelsUpward = false

    while true {
      let plotBottom = area.maxY - bottomReserve - xTickLabelHeight - tickSpace
      let plotHeight = max(10, plotBottom - top)
      let yAxis = makeAxis(y, length: plotHeight, font: tickFont, horizontal: false)
      let yTickWidth = Double(yAxis.ticks.labels.map { tickFont.width(of: $0) }.max() ?? 0)
      var left = area.minX + padding + yTickWidth + tickSpace
      if yLabel != nil { left += Double(labelFont.lineHeight) + 4 }
      // The last x tick label may stick out right of the plot by half its width.
      let right =
        area.maxX - padding - reservedRight - (reservedRight > 0 ? 0 : Double(tickFont.advance * 2))
      var plot = Rect(x: left, y: top, width: max(10, right - left), height: plotHeight)
      if equalAspect, case .numeric(let xLow, let xHigh, _, _) = x,
        case .numeric(let yLow, let yHigh, _, _) = y
      {
        let scale = min(plot.width / (xHigh - xLow), plot.height / (yHigh - yLow))
        let width = (xHigh - xLow) * scale
        let height = (yHigh - yLow) * scale
        plot = Rect(
          x: plot.minX + (plot.width - width) / 2, y: plot.minY + (plot.height - height) / 2,
          width: width, height: height)
      }
      plot = Rect(
        x: plot.x.rounded(), y: plot.y.rounded(), width: plot.width.rounded(),
        height: plot.height.rounded())
      let xAxis = makeAxis(x, length: plot.width, font: tickFont, horizontal: true)
      if !xLabelsUpward, case .categories(let names, _) = x, !names.isEmpty {
        let slot = plot.width / Double(names.count)
        let widest = Double(names.map { tickFont.width(of: $0) }.max() ?? 0)
        if widest > slot - 6 {
          // Turn category labels upward rather than let them collide; cap their length.
          xLabelsUpward = true
          xTickLabelHeight = min(widest, area.height * 0.25)
          continue
        }
      }
      return PlotFrame(
        plotArea: plot, xAxis: xAxis, yAxis: yAxis, tickFont: tickFont, xLabelsUpward: xLabelsUpward
      )
    }
  }

  func makeAxis(_ content: AxisContent, length: Double, font: BitmapFont, horizontal: Bool) -> Axis {
    switch content {
    case .categories(let names, let reversed):
      let count = names.count
      // Thin out labels that would not fit: every k-th category keeps its label.
      let needed = horizontal ? Double(font.lineHeight) : Double(font.lineHeight) + 2
      let stride = max(1, Int((Double(count) * needed / max(1, length)).rounded(.up)))
      var values: [Double] = []
      var labels: [String] = []
      for index in Swift.stride(from: 0, to: count, by: stride) {
        values.append(Double(index))
        labels.append(names[index])
      }
      let lower = reversed ? Double(count) - 0.5 : -0.5
      let upper = reversed ? -0.5 : Double(count) - 0.5
      return Axis(
        lower: lower, upper: upper, scale: .linear, ticks: AxisTicks(values: values, labels: labels)
      )
    case .numeric(let lower, let upper, let scale, let integers):
      func ticks(_ count: Int) -> AxisTicks {
        scale == .logarithmic
          ? AxisTicks.logarithmic(lower: lower, upper: upper, maximumCount: count)
          : AxisTicks.linear(lower: lower, upper: upper, maximumCount: count, minimumStep: integers ? 1 : 0)
      }
      let axis = { (ticks: AxisTicks) in
        Axis(lower: lower, upper: upper, scale: scale, ticks: ticks)
      }
      if !horizontal {
        return axis(ticks(max(2, Int(length / 50))))
      }
      // Fewer ticks until neighbouring labels keep a clear gap between them.
      var count = max(2, Int(length / 55))
      while true {
        let candidate = axis(ticks(count))
        if count <= 2 || labelsFit(candidate, length: length, font: font) { return candidate }
        count -= 1
      }
    }
  }

  func labelsFit(_ axis: Axis, length: Double, font: BitmapFont) -> Bool {
    let values = axis.ticks.values
    guard values.count > 1 else { return true }
    for index in 1..<values.count {
      let distance = abs(axis.fraction(values[index]) - axis.fraction(values[index - 1])) * length
      let halfWidths =
        Double(
          font.width(of: axis.ticks.labels[index]) + font.width(of: axis.ticks.labels[index - 1]))
        / 2
      if distance < halfWidths + 14 { return false }
    }
    return true
  }

  /// Background of the plot area and grid lines, drawn before the data.
  func drawBehind(_ frame: PlotFrame, on canvas: inout Canvas) {
    guard showGrid else { return }
    let plot = frame.plotArea
    for value in frame.yAxis.ticks.values {
      let row = frame.y(value).rounded(.down)
      if row >= plot.minY && row < plot.maxY {
        canvas.fill(Rect(x: plot.minX, y: row, width: plot.width, height: 1), color: .gridGray)
      }
    }
    for value in frame.xAxis.ticks.values {
      let column = frame.x(value).rounded(.down)
      if column >= plot.minX && column < plot.maxX {
        canvas.fill(Rect(x: column, y: plot.minY, width: 1, height: plot.height), color: .gridGray)
      }
    }
  }

  /// Axis lines, ticks, labels, title and notes, drawn over the data.
  func drawFront(_ frame: PlotFrame, in area: Rect, on canvas: inout Canvas) {
    let plot = frame.plotArea
    let tickFont = frame.tickFont
    let labelFont = BitmapFont.regular
    let tickLength = AxesLayout.tickLength
    let axisColor = Color.ink
    // Axis lines sit just outside the plot area so they never hide data at the edges.
    canvas.fill(
      Rect(x: plot.minX - 1, y: plot.minY, width: 1, height: plot.height + 1), color: axisColor)
    canvas.fill(
      Rect(x: plot.minX - 1, y: plot.maxY, width: plot.width + 1, height: 1), color: axisColor)
    if boxed {
      canvas.fill(
        Rect(x: plot.minX - 1, y: plot.minY - 1, width: plot.width + 2, height: 1), color: axisColor
      )
      canvas.fill(
        Rect(x: plot.maxX, y: plot.minY - 1, width: 1, height: plot.height + 2), color: axisColor)
    }
    var widestYLabel = 0.0
    for (value, label) in zip(frame.yAxis.ticks.values, frame.yAxis.ticks.labels) {
      let position = frame.y(value)
      guard position >= plot.minY - 0.5, position <= plot.maxY + 0.5 else { continue }
      let row = min(plot.maxY - 1, position.rounded(.down))
      canvas.fill(
        Rect(x: plot.minX - 1 - tickLength, y: row, width: tickLength, height: 1), color: axisColor)
      let box = canvas.drawText(
        label, at: Point(plot.minX - 1 - tickLength - AxesLayout.tickGap, row + 0.5),
        font: tickFont,
        horizontal: .right, vertical: .middle)
      widestYLabel = max(widestYLabel, box.width)
    }
    for value in frame.yAxis.ticks.minorValues {
      let position = frame.y(value)
      guard position >= plot.minY, position <= plot.maxY else { continue }
      canvas.fill(
        Rect(x: plot.minX - 3, y: position.rounded(.down), width: 2, height: 1), color: axisColor)
    }
    let xTickTop = plot.maxY + 1 + tickLength + AxesLayout.tickGap
    var xTickBottom = xTickTop + Double(tickFont.lineHeight)
    for (value, label) in zip(frame.xAxis.ticks.values, frame.xAxis.ticks.labels) {
      let position = frame.x(value)
      guard position >= plot.minX - 0.5, position <= plot.maxX + 0.5 else { continue }
      let column = min(plot.maxX - 1, position.rounded(.down))
      canvas.fill(Rect(x: column, y: plot.maxY + 1, width: 1, height: tickLength), color: axisColor)
      if frame.xLabelsUpward {
        let text = tickFont.truncated(label, toWidth: area.height * 0.25)
        let box = canvas.drawText(
          text, at: Point(column + 0.5, xTickTop), font: tickFont, horizontal: .right,
          vertical: .middle,
          orientation: .upward)
        xTickBottom = max(xTickBottom, box.maxY)
      } else {
        canvas.drawText(
          label, at: Point(column + 0.5, xTickTop), font: tickFont, horizontal: .center,
          vertical: .top)
      }
    }
    if let xLabel {
      canvas.drawText(
        labelFont.truncated(xLabel, toWidth: area.width - 20),
        at: Point(plot.midX, xTickBottom + 2), font: labelFont,
        horizontal: .center, vertical: .top)
    }
    if let yLabel {
      let x =
        plot.minX - 1 - tickLength - AxesLayout.tickGap - widestYLabel - 4
        - Double(labelFont.lineHeight)
      canvas.drawText(
        labelFont.truncated(yLabel, toWidth: plot.height), at: Point(x, plot.midY), font: labelFont,
        horizontal: .center, vertical: .top, orientation: .upward)
    }
    if let title {
      let text = labelFont.truncated(title, toWidth: area.width - 2 * AxesLayout.padding)
      let half = Double(labelFont.width(of: text)) / 2
      // Centred over the plot, but kept inside the chart's area.
      let center = max(
        area.minX + AxesLayout.padding + half, min(area.maxX - AxesLayout.padding - half, plot.midX)
      )
      canvas.drawText(
        text, at: Point(center, area.minY + AxesLayout.padding), font: labelFont,
        horizontal: .center, vertical: .top)
    }
    drawNotes(notes, in: area, on: &canvas)
  }
}

/// Notes (skipped values and the like) in small red text at the bottom left of `area`.
func drawNotes(_ notes: [String], in area: Rect, on canvas: inout Canvas) {
  let font = BitmapFont.small
  for (index, note) in notes.enumerated() {
    let y = area.maxY - AxesLayout.padding + 2 - Double((notes.count - index) * font.lineHeight)
    canvas.drawText(
      font.truncated(note, toWidth: area.width - 2 * AxesLayout.padding),
      at: Point(area.minX + AxesLayout.padding, y),
      font: font, color: .noteRed)
  }
}
