/// Several charts in one figure, in rows and columns under a shared title; for example
/// regions before, during and after training side by side.
///
///     let figure = FigureGrid(rows: 1, columns: 3, title: "Expert regions during training",
///                             panels: [before, during, after])
///     try figure.write(to: "Figures/chapter-06/regions-over-time.png")
public struct FigureGrid: Chart {
  public var rows: Int
  public var columns: Int
  public var title: String?
  public var panels: [any Chart]
  /// Draws the first panel's legend once, right of the grid, instead of one per panel: the
  /// panels keep equal sizes and the figure repeats nothing. Meant for panels that show the
  /// same series or experts.
  public var sharedLegend: Bool
  /// Size of one panel when the figure's size is not given.
  public var panelSize: (width: Int, height: Int) = (560, 460)

  public init(
    rows: Int, columns: Int, title: String? = nil, panels: [any Chart], sharedLegend: Bool = false
  ) {
    self.rows = rows
    self.columns = columns
    self.title = title
    self.panels = panels
    self.sharedLegend = sharedLegend
  }

  public var defaultSize: (width: Int, height: Int) {
    (
      columns * panelSize.width + (sharedLegend ? 200 : 0),
      rows * panelSize.height + (title == nil ? 0 : titleHeight)
    )
  }

  var titleHeight: Int { BitmapFont.regular.lineHeight + 14 }

  public var notes: [String] { panels.flatMap(\.notes) }

  public func draw(on canvas: inout Canvas, in area: Rect) throws {
    guard rows > 0, columns > 0 else {
      throw PlotError.invalidArgument(
        "figure grid: \(rows)x\(columns) must have at least one row and one column")
    }
    guard !panels.isEmpty else {
      throw PlotError.noData(chart: title.map { "figure grid '\($0)'" } ?? "figure grid")
    }
    guard panels.count <= rows * columns else {
      throw PlotError.invalidArgument(
        "figure grid: \(panels.count) panels do not fit in \(rows)x\(columns) cells")
    }
    var top = area.minY
    if let title {
      let font = BitmapFont.regular
      canvas.drawText(
        font.truncated(title, toWidth: area.width - 24), at: Point(area.midX, area.minY + 10),
        font: font, horizontal: .center,
        vertical: .top)
      top += Double(titleHeight)
    }
    var drawn = panels
    var legendWidth = 0.0
    var legend: Legend? = nil
    if sharedLegend, let first = panels.first as? any SharableLegend {
      let font = AxesLayout.tickFont(
        for: Rect(
          x: 0, y: 0, width: area.width / Double(columns), height: (area.maxY - top) / Double(rows))
      )
      let shared = first.legend(font: font)
      if !shared.isEmpty {
        legend = shared
        legendWidth = shared.size.width + AxesLayout.padding
        drawn = panels.map { ($0 as? any SharableLegend)?.withoutLegend() ?? $0 }
      }
    }
    let cellWidth = (area.width - legendWidth) / Double(columns)
    let cellHeight = (area.maxY - top) / Double(rows)
    let savedClip = canvas.clipRect
    for (index, panel) in drawn.enumerated() {
      let cell = Rect(
        x: (area.minX + Double(index % columns) * cellWidth).rounded(),
        y: (top + Double(index / columns) * cellHeight).rounded(),
        width: cellWidth.rounded(.down), height: cellHeight.rounded(.down))
      // A panel cannot draw into its neighbours, whatever it does.
      canvas.clipRect = cell
      try panel.draw(on: &canvas, in: cell)
      canvas.clipRect = savedClip
    }
    if let legend {
      let height = legend.size.height
      let x = area.maxX - legendWidth
      legend.draw(at: Point(x, top + max(0, (area.maxY - top - height) / 2)), on: &canvas)
    }
  }
}
