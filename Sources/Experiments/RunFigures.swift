import Foundation
import Plotting
import Training

/// The figures of a run, from its metrics and the test evaluation: loss curves, utilization per
/// expert, and class x expert routing.
enum RunFigures {
  static func write(folder: RunFolder, test: EvaluationReport) throws {
    let rows = try folder.read(folder.metrics).split(separator: "\n").dropFirst().map {
      $0.split(separator: ",").map { Double($0) ?? .nan }
    }
    var losses = LinePlot(title: "Loss (training: with auxiliary losses)", xLabel: "epoch", yLabel: "loss")
    losses.add(series: "training", x: rows.map { Int($0[0]) }, y: rows.map { $0[2] })
    losses.add(series: "validation cross-entropy", x: rows.map { Int($0[0]) }, y: rows.map { $0[4] })
    try losses.write(to: folder.figures + "/loss.png")

    guard let routing = test.routing else { return }
    let groups = (0..<routing.expertCount).map { String($0) }
    let utilization = BarChart(
      title: "Share of routed test inputs per expert", groups: groups, values: routing.routed.shares,
      xLabel: "expert", yLabel: "share")
    try utilization.write(to: folder.figures + "/utilization.png")

    if let matrix = routing.classByExpert {
      let heatmap = Heatmap(
        title: "Test inputs routed, class x expert", matrix: matrix.map { $0.map(Double.init) },
        rowLabels: test.classNames, columnLabels: groups, xLabel: "expert", yLabel: "class",
        colorbarLabel: "inputs")
      try heatmap.write(to: folder.figures + "/class-by-expert.png")
    }
  }
}
