// Renders one figure of every chart kind with made-up but course-like data, so the charts can
// be looked at together, and times the course's heaviest figure (a region map).
// Usage: gallery [--out folder]   (default .build/gallery)
import Foundation
import Plotting

var outputFolder = ".build/gallery"
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
  switch argument {
  case "--out":
    guard let folder = arguments.popFirst() else {
      print("error: --out needs a folder")
      exit(2)
    }
    outputFolder = folder
  case "--help", "-h":
    print("usage: gallery [--out folder]")
    exit(0)
  default:
    print("error: unknown argument '\(argument)'")
    exit(2)
  }
}
try FileManager.default.createDirectory(atPath: outputFolder, withIntermediateDirectories: true)

/// SplitMix64: small, seeded, the same numbers on every machine.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func uniform() -> Float { Float(next() >> 40) * 0x1p-24 }
  mutating func normal() -> Float {
    let u = max(uniform(), 1e-7)
    let v = uniform()
    return (-2 * logf(u)).squareRoot() * cosf(2 * .pi * v)
  }
}

var random = SeededGenerator(state: 42)

@MainActor func save(_ chart: any Chart, _ name: String, width: Int? = nil, height: Int? = nil)
  throws
{
  let path = outputFolder + "/" + name + ".png"
  try chart.write(to: path, width: width, height: height)
  print("wrote \(path)")
}

// MARK: Loss curves: mixture vs a single network, train and validation.
var lossPlot = LinePlot(
  title: "Training loss: mixture of experts vs single MLP", xLabel: "epoch", yLabel: "MSE")
for (index, (name, rate, floor)) in [
  ("mixture", Float(9), Float(0.04)), ("single MLP", Float(16), Float(0.11)),
].enumerated() {
  var train: [Float] = []
  var validation: [Float] = []
  for epoch in 0..<80 {
    let t = Float(epoch)
    train.append(1.1 * expf(-t / rate) + floor + 0.012 * random.normal())
    validation.append(1.1 * expf(-t / rate) + floor * 1.5 + 0.02 + 0.015 * random.normal())
  }
  if index == 0 { validation[37] = .nan }
  lossPlot.add(series: "\(name), train", y: train, color: Palette.color(index))
  lossPlot.add(
    series: "\(name), validation", y: validation, color: Palette.color(index), style: .dashed)
}
try save(lossPlot, "line-loss")

var logPlot = lossPlot
logPlot.title = "Training loss (log scale)"
logPlot.yScale = .logarithmic
try save(logPlot, "line-loss-log")

// MARK: Accuracy against the number of experts, with markers and explicit x.
var accuracyPlot = LinePlot(
  title: "Accuracy vs number of experts", xLabel: "experts", yLabel: "test accuracy")
accuracyPlot.showMarkers = true
accuracyPlot.add(
  series: "dense top-k", x: [1, 2, 4, 8, 16, 32],
  y: [0.81, 0.86, 0.9, 0.92, 0.925, 0.927] as [Float])
accuracyPlot.add(
  series: "switch (top-1)", x: [1, 2, 4, 8, 16, 32],
  y: [0.81, 0.84, 0.88, 0.905, 0.915, 0.91] as [Float])
try save(accuracyPlot, "line-markers")

// MARK: Region map: a soft gate over the plane, 4 experts, 400x400 cells, 2000 points.
let centers: [(Float, Float)] = [(-1.5, -1.2), (1.6, -1.0), (0.2, 1.7), (-1.8, 1.4)]
func gate(_ x: Float, _ y: Float, sharpness: Float) -> (winner: Int, probability: Float) {
  var logits = centers.map { c in -sharpness * ((x - c.0) * (x - c.0) + (y - c.1) * (y - c.1)) }
  let largest = logits.max()!
  logits = logits.map { expf($0 - largest) }
  let total = logits.reduce(0, +)
  let winner = logits.indices.max { logits[$0] < logits[$1] }!
  return (winner, logits[winner] / total)
}
func regionMap(title: String, size: Int, sharpness: Float) -> RegionMap {
  let grid = RegionMap.cellCenters(width: size, height: size, xRange: -3...3, yRange: -3...3)
  var winners = [Int](repeating: 0, count: size * size)
  var confidence = [Float](repeating: 0, count: size * size)
  for index in winners.indices {
    (winners[index], confidence[index]) = gate(grid.x[index], grid.y[index], sharpness: sharpness)
  }
  return RegionMap(
    title: title, labels: winners, width: size, height: size, xRange: -3...3, yRange: -3...3,
    confidence: confidence,
    classNames: ["expert 1", "expert 2", "expert 3", "expert 4"])
}
var pointsX: [Float] = []
var pointsY: [Float] = []
var pointClasses: [Int] = []
for _ in 0..<2000 {
  let cluster = centers[Int(random.next() % 4)]
  let x = cluster.0 + 0.7 * random.normal()
  let y = cluster.1 + 0.7 * random.normal()
  pointsX.append(x)
  pointsY.append(y)
  pointClasses.append(x * y > 0 ? 1 : 0)
}
/// Milliseconds of a ContinuousClock duration.
func milliseconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
var renderTimes: [Double] = []
var writeTimes: [Double] = []
var totalTimes: [Double] = []
let baseMap = regionMap(title: "Expert regions (arg-max of the gate)", size: 400, sharpness: 1.2)
let clock = ContinuousClock()
for _ in 0..<9 {
  let start = clock.now
  var map = baseMap
  map.addPoints(
    x: pointsX, y: pointsY, categories: pointClasses, categoryNames: ["class 0", "class 1"],
    label: "data")
  let canvas = try map.render(width: 1200, height: 900)
  let rendered = clock.now
  try canvas.writePNG(to: outputFolder + "/region-map.png")
  let written = clock.now
  renderTimes.append(milliseconds(rendered - start))
  writeTimes.append(milliseconds(written - rendered))
  totalTimes.append(milliseconds(written - start))
}
print("wrote \(outputFolder)/region-map.png")
func median(_ values: [Double]) -> String {
  String(format: "%.1f", values.sorted()[values.count / 2])
}
print(
  "region map, 400x400 cells + 2000 points as a 1200x900 PNG (release build, median of \(totalTimes.count)): "
    + "render \(median(renderTimes)) ms + write \(median(writeTimes)) ms = \(median(totalTimes)) ms "
    + "(best \(String(format: "%.1f", totalTimes.min()!)) ms)")

// MARK: Grid of panels: regions before, during and after training.
var panels: [any Chart] = []
for (title, sharpness) in [
  ("before training", Float(0.05)), ("epoch 5", Float(0.4)), ("after training", Float(2.5)),
] {
  var panel = regionMap(title: title, size: 120, sharpness: sharpness)
  panel.addPoints(
    x: Array(pointsX.prefix(300)), y: Array(pointsY.prefix(300)),
    categories: Array(pointClasses.prefix(300)))
  panels.append(panel)
}
try save(
  FigureGrid(
    rows: 1, columns: 3, title: "Expert regions during training", panels: panels, sharedLegend: true
  ), "grid-regions")

// MARK: Heatmaps: routing of classes to experts, and a confusion matrix.
let classes = [
  "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
]
var routing: [[Float]] = []
for row in 0..<10 {
  var weights = (0..<8).map { column in
    expf(-Float((column - row * 8 / 10) * (column - row * 8 / 10)) / 2) + 0.1 * random.uniform()
  }
  let total = weights.reduce(0, +)
  weights = weights.map { $0 / total }
  routing.append(weights)
}
try save(
  Heatmap(
    title: "Routing: fraction of each class sent to each expert", matrix: routing,
    rowLabels: classes,
    columnLabels: (1...8).map { "E\($0)" }, xLabel: "expert", yLabel: "class", annotate: true,
    colorbarLabel: "fraction of tokens"), "heatmap-routing")
var confusion: [[Float]] = []
for row in 0..<10 {
  confusion.append(
    (0..<10).map { column in
      column == row ? Float(80 + random.next() % 20) : Float(random.next() % 9)
    })
}
try save(
  Heatmap(
    title: "Confusion matrix (digits)", matrix: confusion, rowLabels: (0..<10).map(String.init),
    columnLabels: (0..<10).map(String.init), xLabel: "predicted", yLabel: "true", annotate: true,
    colorbarLabel: "count"), "heatmap-confusion")

// MARK: Bar chart: expert utilization with and without a load-balancing loss.
var utilization = BarChart(
  title: "Expert utilization", groups: (1...8).map { "expert \($0)" }, xLabel: "expert",
  yLabel: "fraction of tokens")
utilization.add(
  series: "no balancing loss", values: [0.41, 0.27, 0.12, 0.08, 0.06, 0.03, 0.02, 0.01] as [Float])
utilization.add(
  series: "with balancing loss",
  values: [0.14, 0.13, 0.12, 0.13, 0.12, 0.12, 0.12, 0.12] as [Float])
utilization.showValues = true
try save(utilization, "bar-utilization")

// MARK: Scatter plot: inputs coloured by the expert that won them.
var scatter = ScatterPlot(title: "Inputs by winning expert", xLabel: "x1", yLabel: "x2")
scatter.equalAspect = true
for expert in 0..<4 {
  let members = pointsX.indices.filter {
    gate(pointsX[$0], pointsY[$0], sharpness: 1.2).winner == expert
  }.prefix(150)
  scatter.add(
    series: "expert \(expert + 1)", x: members.map { pointsX[$0] }, y: members.map { pointsY[$0] })
}
try save(scatter, "scatter")

// MARK: The fonts, at 100% and enlarged.
var specimen = Canvas(width: 560, height: 200)
var y = 10.0
for font in [BitmapFont.small, BitmapFont.regular] {
  for line in [
    " !\"#$%&'()*+,-./0123456789:;<=>?@", "ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`",
    "abcdefghijklmnopqrstuvwxyz{|}~",
    "Loss -0.25, lr 1e-4; expert 3: p=0.87",
  ] {
    specimen.drawText(line, at: Point(10, y), font: font)
    y += Double(font.lineHeight) + 2
  }
}
specimen.drawText(
  "upward (y-axis labels)", at: Point(520, 100), horizontal: .center, vertical: .top,
  orientation: .upward)
try specimen.writePNG(to: outputFolder + "/fonts.png")
print("wrote \(outputFolder)/fonts.png")

// MARK: Many experts: category labels that no longer fit side by side turn upward.
var manyExperts = BarChart(
  title: "Tokens per expert (32 experts, top-2 routing)", groups: (1...32).map { "expert \($0)" },
  yLabel: "tokens")
let tokenCounts: [Float] = (0..<32).map { expert in
  let wave: Double = 600 * sin(Double(expert) * 0.7)
  return Float(900 + wave + 40 * Double(expert % 5))
}
manyExperts.add(series: "tokens", values: tokenCounts)
try save(manyExperts, "bar-many-experts")

// MARK: A 2x2 grid of small panels: the small font takes over for ticks and legends.
var smallLoss = LinePlot(title: "loss", xLabel: "epoch", yLabel: "MSE", yScale: .logarithmic)
smallLoss.add(series: "train", y: (0..<50).map { Float(exp(-Double($0) / 10) + 0.01) })
smallLoss.add(
  series: "validation", y: (0..<50).map { Float(exp(-Double($0) / 12) + 0.03) }, style: .dashed)
let smallBars = BarChart(
  title: "utilization", groups: (1...4).map { "E\($0)" },
  values: [0.3, 0.25, 0.25, 0.2] as [Float], yLabel: "share")
let smallHeatmap = Heatmap(
  title: "routing", matrix: Array(routing.prefix(4)).map { Array($0.prefix(4)) },
  rowLabels: Array(classes.prefix(4)),
  columnLabels: (1...4).map { "E\($0)" }, annotate: true)
try save(
  FigureGrid(
    rows: 2, columns: 2, title: "Chapter summary",
    panels: [smallLoss, smallBars, smallHeatmap, scatter]),
  "grid-mixed", width: 900, height: 700)

// MARK: Image grid: small grayscale images in rows, one title per row (digits routed to each expert).
/// A 16x16 made-up "digit": a ring (0), a bar (1) or a cross (x), with a little noise.
@MainActor func shapeImage(_ kind: Int) -> [Float] {
  let radius = 4.5 + 1.5 * random.uniform()
  return (0..<256).map { index in
    let x = Float(index % 16) - 7.5
    let y = Float(index / 16) - 7.5
    let ink: Float
    switch kind {
    case 0: ink = abs((x * x + y * y).squareRoot() - radius) < 1.2 ? 1 : 0
    case 1: ink = abs(x - 0.3 * y) < 1.3 && abs(y) < 6.5 ? 1 : 0
    default: ink = (abs(x - y) < 1.2 || abs(x + y) < 1.2) && abs(x) < 6 ? 1 : 0
    }
    return max(0, min(1, ink + 0.15 * random.normal()))
  }
}
var imageGrid = ImageGrid(title: "Images routed to each expert", imageWidth: 16, imageHeight: 16, inverted: true)
for (expert, name) in ["rings", "bars", "crosses"].enumerated() {
  try imageGrid.addRow(
    title: "expert \(expert + 1): mostly \(name)", images: (0..<14).map { _ in shapeImage(expert) })
}
try save(imageGrid, "image-grid")
