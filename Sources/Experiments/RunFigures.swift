import Foundation
import NeuralNetworks
import Plotting
import Training

/// The figures of a run, from its metrics and the test evaluation: loss curves, utilization per
/// expert, class x expert routing, and a histogram of the gate's entropy per test input.
enum RunFigures {
  static func write(folder: RunFolder, test: EvaluationReport, gateProbabilities: Tensor) throws {
    let rows = try folder.read(folder.metrics).split(separator: "\n").dropFirst().map {
      $0.split(separator: ",").map { Double($0) ?? .nan }
    }
    var losses = LinePlot(title: "Loss (training: with auxiliary losses)", xLabel: "epoch", yLabel: "loss")
    losses.add(series: "training", x: rows.map { Int($0[0]) }, y: rows.map { $0[2] })
    losses.add(series: "validation cross-entropy", x: rows.map { Int($0[0]) }, y: rows.map { $0[4] })
    try losses.write(to: folder.figures + "/loss.png")

    try entropyHistogram(gateProbabilities).write(to: folder.figures + "/gate-entropy.png")

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

  /// H(g(x)) = -sum_e g_e log g_e per input, in 20 bins from 0 (one expert) to log E (uniform).
  static func entropyHistogram(_ probabilities: Tensor) -> BarChart {
    let experts = probabilities.shape[1]
    let rows = probabilities.shape[0]
    let values = probabilities.scalars
    let top = Foundation.log(Double(experts))
    let binCount = 20
    var counts = [Double](repeating: 0, count: binCount)
    for row in 0..<rows {
      var entropy = 0.0
      for expert in 0..<experts {
        let g = Double(values[row * experts + expert])
        if g > 0 { entropy -= g * Foundation.log(g) }
      }
      let bin = top > 0 ? min(binCount - 1, max(0, Int(entropy / top * Double(binCount)))) : 0
      counts[bin] += 1
    }
    let labels = (0..<binCount).map { bin in
      bin % 5 == 0 ? String(format: "%.2f", Double(bin) / Double(binCount) * top) : ""
    }
    return BarChart(
      title: "Gate entropy per test input (0: one expert; \(String(format: "%.2f", top)) = log \(experts): uniform)",
      groups: labels, values: counts,
      xLabel: "entropy (nats), bins of \(String(format: "%.3f", top / Double(binCount)))",
      yLabel: "test inputs")
  }
}
