/// Where a chart puts its legend.
public enum LegendPosition: Sendable {
  /// Inside the plot, in the corner that covers no data; outside on the right if every
  /// corner would cover some. Only shown for two or more series: one needs no key.
  case automatic
  /// Always outside the plot, on the right.
  case outside
  /// No legend.
  case hidden
}

/// The sample drawn beside a legend entry.
enum LegendSymbol {
  case line(width: Double, dashed: Bool, marker: Marker?)
  case marker(Marker, outline: Color?)
  case patch
}

struct LegendEntry {
  var label: String
  var color: Color
  var symbol: LegendSymbol
}

/// A box of entries (symbol + label), optionally in titled sections.
struct Legend {
  struct Section {
    var title: String?
    var entries: [LegendEntry]
  }

  var sections: [Section]
  /// A line of small text under the entries, explaining an encoding (e.g. shading).
  var footnote: String? = nil
  var font = BitmapFont.regular
  /// Longest label kept, in pixels; longer ones are shortened with "...".
  var maximumLabelWidth = 220.0

  static let symbolWidth = 26.0
  static let inset = 8.0
  var rowHeight: Double { Double(font.lineHeight) + 3 }

  var isEmpty: Bool { sections.allSatisfy { $0.entries.isEmpty } }

  var size: (width: Double, height: Double) {
    var width = 0.0
    var rows = 0
    for section in sections {
      if let title = section.title {
        width = max(width, Double(font.width(of: title)))
        rows += 1
      }
      for entry in section.entries {
        width = max(
          width,
          Legend.symbolWidth + 6 + min(maximumLabelWidth, Double(font.width(of: entry.label))))
        rows += 1
      }
    }
    let gaps = Double(max(0, sections.count - 1)) * 6
    var height = Double(rows) * rowHeight + gaps + 2 * Legend.inset - 3
    if let footnote {
      width = max(width, Double(BitmapFont.small.width(of: footnote)))
      height += Double(BitmapFont.small.lineHeight) + 4
    }
    return (width + 2 * Legend.inset, height)
  }

  func draw(at origin: Point, on canvas: inout Canvas) {
    let (width, height) = size
    let box = Rect(
      x: origin.x.rounded(), y: origin.y.rounded(), width: width.rounded(), height: height.rounded()
    )
    canvas.fill(box, color: Color.white.withOpacity(0.9))
    canvas.stroke(box, color: .lightGray)
    var y = box.minY + Legend.inset
    for section in sections {
      if let title = section.title {
        canvas.drawText(title, at: Point(box.minX + Legend.inset, y), font: font, color: .ink)
        y += rowHeight
      }
      for entry in section.entries {
        let middle = (y + Double(font.topPadding) + Double(font.capHeight) / 2).rounded(.down) + 0.5
        let left = box.minX + Legend.inset
        switch entry.symbol {
        case .line(let lineWidth, let dashed, let marker):
          if dashed {
            canvas.drawLine(
              from: Point(left, middle), to: Point(left + 9, middle), width: lineWidth,
              color: entry.color)
            canvas.drawLine(
              from: Point(left + 15, middle), to: Point(left + Legend.symbolWidth, middle),
              width: lineWidth, color: entry.color)
          } else {
            canvas.drawLine(
              from: Point(left, middle), to: Point(left + Legend.symbolWidth, middle),
              width: lineWidth, color: entry.color)
          }
          if let marker {
            canvas.drawMarker(
              marker, at: Point(left + Legend.symbolWidth / 2, middle), size: 7, fill: entry.color,
              outline: .white)
          }
        case .marker(let marker, let outline):
          canvas.drawMarker(
            marker, at: Point(left + Legend.symbolWidth / 2, middle), size: 8, fill: entry.color,
            outline: outline)
        case .patch:
          let patch = Rect(x: left + 3, y: middle - 6.5, width: Legend.symbolWidth - 6, height: 13)
          canvas.fill(patch, color: entry.color)
          canvas.stroke(patch, color: entry.color.mixed(with: .black, amount: 0.3))
        }
        canvas.drawText(
          font.truncated(entry.label, toWidth: maximumLabelWidth),
          at: Point(left + Legend.symbolWidth + 6, y), font: font)
        y += rowHeight
      }
      y += 6
    }
    if let footnote {
      canvas.drawText(
        footnote, at: Point(box.minX + Legend.inset, y - 4), font: .small, color: .ink)
    }
  }

  /// Where the legend goes: a free corner inside the plot when `automatic` and one covers no
  /// obstacle, otherwise outside on the right, for which the axes give up room and are laid out again.
  func place(
    in area: Rect, axes: inout AxesLayout, frame: inout PlotFrame, avoiding obstacles: [Rect], automatic: Bool
  ) -> Point {
    if automatic, let spot = freeSpot(in: frame.plotArea, avoiding: obstacles) { return spot }
    axes.reservedRight = size.width + 16
    frame = axes.layout(in: area)
    return Point(frame.plotArea.maxX + 14, frame.plotArea.minY)
  }

  /// The top-left corner of a spot inside `plot` where the legend covers none of the
  /// `obstacles` (data drawn as small rectangles), or nil when every candidate covers some.
  func freeSpot(in plot: Rect, avoiding obstacles: [Rect]) -> Point? {
    let (width, height) = size
    let margin = 8.0
    guard width + 2 * margin < plot.width, height + 2 * margin < plot.height else { return nil }
    let left = plot.minX + margin
    let right = plot.maxX - margin - width
    let top = plot.minY + margin
    let bottom = plot.maxY - margin - height
    let centerX = plot.midX - width / 2
    let centerY = plot.midY - height / 2
    // Corners first (where readers look for a legend), then edge middles.
    let candidates = [
      Point(right, top), Point(left, top), Point(right, bottom), Point(left, bottom),
      Point(centerX, top),
      Point(centerX, bottom), Point(right, centerY), Point(left, centerY),
    ]
    for candidate in candidates {
      let box = Rect(x: candidate.x - 4, y: candidate.y - 4, width: width + 8, height: height + 8)
      if !obstacles.contains(where: { $0.intersects(box) }) { return candidate }
    }
    return nil
  }
}

/// Sample points along a polyline, every few pixels, as tiny rectangles for legend placement.
func obstacleSamples(along points: [Point], spacing: Double = 3, radius: Double = 1.5) -> [Rect] {
  var samples: [Rect] = []
  func add(_ p: Point) {
    samples.append(Rect(x: p.x - radius, y: p.y - radius, width: 2 * radius, height: 2 * radius))
  }
  guard let first = points.first else { return samples }
  add(first)
  for index in 1..<max(1, points.count) where index < points.count {
    let a = points[index - 1]
    let b = points[index]
    let length = ((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y)).squareRoot()
    let steps = max(1, Int(length / spacing))
    for step in 1...steps {
      let t = Double(step) / Double(steps)
      add(Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t))
    }
  }
  return samples
}

/// Charts whose legend a `FigureGrid` can draw once for all its panels.
protocol SharableLegend: Chart {
  func legend(font: BitmapFont) -> Legend
  func withoutLegend() -> Self
}

extension LinePlot: SharableLegend {}
extension ScatterPlot: SharableLegend {}
extension BarChart: SharableLegend {}
extension RegionMap: SharableLegend {}
