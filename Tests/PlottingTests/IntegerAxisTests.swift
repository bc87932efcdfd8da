import Testing

@testable import Plotting

/// An axis of whole numbers (tree depths, epochs of a short run) gets no 1.5 ticks.
@Suite struct IntegerAxisTests {
  @Test func minimumStepSkipsFractionalSteps() {
    #expect(AxisTicks.linear(lower: 0.94, upper: 3.06, maximumCount: 8).values == [1, 1.5, 2, 2.5, 3])
    #expect(AxisTicks.linear(lower: 0.94, upper: 3.06, maximumCount: 8, minimumStep: 1).values == [1, 2, 3])
  }

  @Test func linePlotWithIntegerXHasWholeNumberTicks() throws {
    var plot = LinePlot(title: "leaves per input", xLabel: "depth")
    plot.add(series: "top-2", x: [1, 2, 3], y: [2, 4, 8] as [Double])
    let ticks = try plot.layout(in: Rect(x: 0, y: 0, width: 450, height: 400)).frame.xAxis.ticks.values
    #expect(ticks == [1, 2, 3])
  }

  @Test func linePlotWithFractionalXKeepsFractionalTicks() throws {
    var plot = LinePlot(title: "y against x", xLabel: "x")
    plot.add(series: "line", x: [1, 2, 3] as [Double], y: [2, 4, 8] as [Double])
    let ticks = try plot.layout(in: Rect(x: 0, y: 0, width: 450, height: 400)).frame.xAxis.ticks.values
    #expect(ticks.contains(1.5))
  }
}
