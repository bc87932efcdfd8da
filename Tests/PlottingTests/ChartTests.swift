import Testing

@testable import Plotting

@Suite struct ChartTests {
  let area = Rect(x: 0, y: 0, width: 600, height: 450)

  @Test func linePlotDrawsThroughItsDataPoints() throws {
    var plot = LinePlot(title: "y = 2x", xLabel: "x", yLabel: "y")
    plot.add(
      series: "line", x: [0, 10] as [Float], y: [0, 20] as [Float], color: .black, lineWidth: 3)
    let frame = try plot.layout(in: area).frame
    let image = try roundTrip(plot, width: 600, height: 450)
    for x in stride(from: 1.0, through: 9.0, by: 1.0) {
      #expect(image[frame.point(x, 2 * x)] == .black, "the line at x = \(x)")
      #expect(image[frame.point(x, 2 * x + 4)] != .black, "above the line at x = \(x)")
    }
  }

  @Test func nonFiniteValuesAreSkippedAndReported() throws {
    var plot = LinePlot(title: "gaps")
    plot.add(series: "train", y: [1, 1, .nan, 1, 1, .infinity, 1] as [Float], color: .black)
    plot.add(series: "validation", y: [2, 2, 2] as [Double])
    #expect(plot.notes == ["note: skipped 2 values in 'train' (NaN or infinite)"])
    let frame = try plot.layout(in: area).frame
    let image = try roundTrip(plot, width: 600, height: 450)
    #expect(image[frame.point(0.5, 1)] == .black)
    #expect(image[frame.point(3.5, 1)] == .black)
    // No segment bridges the skipped points.
    #expect(image[frame.point(2, 1)] != .black)
    #expect(image[frame.point(5, 1)] != .black)
    // The note is printed in the figure, in the note colour.
    let noteRows = (400..<450).filter { y in (0..<300).contains { x in image[x, y] == .noteRed } }
    #expect(!noteRows.isEmpty)
  }

  @Test func logScaleSkipsNonPositiveValues() throws {
    var plot = LinePlot(yScale: .logarithmic)
    plot.add(series: "loss", y: [1, 0.1, 0, -1, 0.01] as [Float])
    #expect(plot.notes == ["note: skipped 2 values <= 0 in 'loss' (log scale)"])
    _ = try plot.render(width: 400, height: 300)
  }

  @Test func badSeriesGiveClearErrors() {
    var empty = LinePlot(title: "loss")
    empty.add(series: "validation", y: [Float]())
    #expect(throws: PlotError.emptySeries(name: "validation")) { try empty.render() }
    #expect(PlotError.emptySeries(name: "validation").description.contains("'validation' is empty"))

    #expect(throws: PlotError.noData(chart: "line plot 'nothing'")) {
      try LinePlot(title: "nothing").render()
    }

    var allNaN = LinePlot()
    allNaN.add(series: "broken", y: [Float.nan, .nan])
    #expect(throws: PlotError.noData(chart: "line plot")) { try allNaN.render() }

    var mismatched = LinePlot()
    mismatched.add(series: "a", x: [1, 2, 3], y: [1, 2] as [Float])
    #expect(throws: PlotError.lengthMismatch(what: "series 'a': x and y", expected: 2, actual: 3)) {
      try mismatched.render()
    }

    var bars = BarChart(groups: ["a", "b"])
    bars.add(series: "s", values: [1] as [Float])
    #expect(throws: PlotError.self) { try bars.render() }

    #expect(throws: PlotError.self) { try Heatmap(matrix: [[1, 2], [3]] as [[Float]]).render() }
    #expect(throws: PlotError.self) {
      try RegionMap(labels: [0, 1, 2], width: 2, height: 2, xRange: 0...1, yRange: 0...1).render()
    }
  }

  @Test func regionMapCellsHaveTheirExpertsColour() throws {
    // Row 0 is the bottom of the plane.
    let labels = [
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 0, 1],
    ]
    var map = RegionMap(title: "regions", labels: labels, xRange: 0...4, yRange: 0...3)
    map.showBoundaries = false
    let frame = try map.layout(in: area).frame
    let image = try roundTrip(map, width: 600, height: 450)
    for (row, cells) in labels.enumerated() {
      for (column, label) in cells.enumerated() {
        let center = frame.point(Double(column) + 0.5, Double(row) + 0.5)
        #expect(image[center] == Palette.color(label), "cell (\(row), \(column))")
        let nearCorner = frame.point(Double(column) + 0.1, Double(row) + 0.9)
        #expect(image[nearCorner] == Palette.color(label))
      }
    }
  }

  @Test func regionMapShadesByConfidenceAndDrawsPoints() throws {
    var map = RegionMap(
      labels: [0, 1], width: 2, height: 1, xRange: 0...2, yRange: 0...1,
      confidence: [1, 0.5] as [Float],
      classNames: ["expert 1", "expert 2"])
    map.addPoints(x: [0.5] as [Float], y: [0.5] as [Float], color: .black)
    let frame = try map.layout(in: area).frame
    let image = try roundTrip(map, width: 600, height: 450)
    #expect(image[frame.point(0.2, 0.2)] == Palette.color(0))
    // p = 1/K is the palest shade of the expert's colour.
    #expect(image[frame.point(1.5, 0.5)] == Color.white.mixed(with: Palette.color(1), amount: 0.2))
    #expect(image[frame.point(0.5, 0.5)] == .black)
  }

  @Test func regionMapGridHelpersAgree() {
    let grid = RegionMap.cellCenters(width: 4, height: 2, xRange: 0...4, yRange: -1...1)
    #expect(grid.x == [0.5, 1.5, 2.5, 3.5, 0.5, 1.5, 2.5, 3.5])
    #expect(grid.y == [-0.5, -0.5, -0.5, -0.5, 0.5, 0.5, 0.5, 0.5])
  }

  @Test func colorbarRunsFromTheFirstToTheLastColourOfTheMap() throws {
    let heatmap = Heatmap(
      title: "routing", matrix: [[0, 0.5], [0.25, 1]] as [[Float]], annotate: true,
      colorbarLabel: "share")
    let layout = try heatmap.layout(in: area)
    let image = try roundTrip(heatmap, width: 600, height: 450)
    let bar = layout.colorbar
    let x = Int(bar.midX)
    #expect(image[x, Int(bar.maxY) - 1] == Colormap.viridis.first)
    #expect(image[x, Int(bar.minY)] == Colormap.viridis.last)
    #expect(close(image[x, Int(bar.midY)], Colormap.viridis.color(at: 0.5), tolerance: 4))
    // Cells: row 0 at the top, the largest value in the last colour.
    let frame = layout.frame
    #expect(image[frame.point(1.3, 1.3)] == Colormap.viridis.last)
    #expect(image[frame.point(-0.3, -0.3)] == Colormap.viridis.first)
  }

  @Test func heatmapAnnotationsShareDecimals() {
    let heatmap = Heatmap(matrix: [[0.51, 0.0015], [0.2, 0.00079]] as [[Double]], annotate: true)
    let decimals = heatmap.annotationDecimals()
    #expect(decimals == 2)
    #expect(heatmap.annotationText(0.0015, decimals: decimals) == "0.00")
    let counts = Heatmap(matrix: [[91, 6], [0, 3]] as [[Float]], annotate: true)
    #expect(counts.annotationText(91, decimals: counts.annotationDecimals()) == "91")
  }

  @Test func identicalInputGivesIdenticalBytes() throws {
    func figure() -> FigureGrid {
      var map = RegionMap(
        title: "regions", labels: (0..<400).map { ($0 / 7 + $0 % 20) % 3 }, width: 20, height: 20,
        xRange: -1...1,
        yRange: -1...1)
      map.addPoints(
        x: [0.1, -0.5, 0.7] as [Float], y: [0.2, 0.3, -0.9] as [Float], categories: [0, 1, 0])
      var plot = LinePlot(title: "loss", yScale: .logarithmic)
      plot.add(series: "train", y: [1, 0.5, 0.2, 0.1] as [Float])
      var bars = BarChart(title: "use", groups: ["a", "b"], yLabel: "share")
      bars.add(series: "x", values: [0.4, 0.6] as [Float])
      return FigureGrid(rows: 1, columns: 3, title: "all", panels: [map, plot, bars])
    }
    let first = try figure().pngData()
    let second = try figure().pngData()
    #expect(first == second)
    let folder = try TemporaryFolder()
    try figure().write(to: folder.file("a.png"))
    try figure().write(to: folder.file("b.png"))
    let a = try DecodedPNG(path: folder.file("a.png"))
    let b = try DecodedPNG(path: folder.file("b.png"))
    #expect(a.pixels == b.pixels)
  }

  @Test func everyChartKindRendersInAGrid() throws {
    var scatter = ScatterPlot(title: "points")
    scatter.add(series: "a", x: [0, 1, 2] as [Float], y: [1, 0, 1] as [Float])
    let heatmap = Heatmap(
      matrix: [[1, 2], [3, 4]] as [[Float]], rowLabels: ["r1", "r2"], columnLabels: ["c1", "c2"])
    let bars = BarChart(
      title: "utilization", groups: ["e1", "e2", "e3"], values: [0.2, 0.5, 0.3] as [Float])
    var line = LinePlot()
    line.add(series: "constant", y: [3, 3, 3] as [Float])
    let grid = FigureGrid(
      rows: 2, columns: 2, title: "grid", panels: [scatter, heatmap, bars, line])
    let canvas = try grid.render(width: 800, height: 600)
    #expect(canvas.width == 800 && canvas.height == 600)
    #expect(throws: PlotError.self) {
      try FigureGrid(rows: 1, columns: 1, panels: [bars, line]).render()
    }
  }
}
