/// An RGBA raster that charts draw on: blending, anti-aliased shapes, clipping.
///
/// Coordinates are in pixels with y growing downwards; pixel (i, j) covers the square from
/// (i, j) to (i + 1, j + 1). Shapes are anti-aliased by area coverage, so a 1-pixel line
/// along pixel centres (x = 10.5) covers exactly one column.
public struct Canvas: Sendable {
  public let width: Int
  public let height: Int
  /// Red, green, blue, alpha per pixel, rows top to bottom.
  public internal(set) var pixels: [UInt8]
  var clipBox: PixelBox

  /// A canvas filled with `background`. A zero size is allowed (writing it reports an error).
  public init(width: Int, height: Int, background: Color = .white) {
    precondition(width >= 0 && height >= 0, "canvas size must not be negative")
    self.width = width
    self.height = height
    let channels = [background.red, background.green, background.blue, background.alpha]
    if channels.allSatisfy({ $0 == channels[0] }) {
      // White, black and clear backgrounds fill like memset.
      self.pixels = [UInt8](repeating: channels[0], count: width * height * 4)
    } else {
      self.pixels = [UInt8](unsafeUninitializedCapacity: width * height * 4) {
        buffer, initialized in
        for pixel in 0..<(width * height) {
          for channel in 0..<4 { buffer[pixel * 4 + channel] = channels[channel] }
        }
        initialized = width * height * 4
      }
    }
    self.clipBox = PixelBox(minX: 0, minY: 0, maxX: width, maxY: height)
  }

  var bounds: PixelBox { PixelBox(minX: 0, minY: 0, maxX: width, maxY: height) }

  /// Drawing is limited to this rectangle (whole pixels it touches); nil means the whole canvas.
  public var clipRect: Rect? {
    get {
      clipBox == bounds
        ? nil
        : Rect(
          x: Double(clipBox.minX), y: Double(clipBox.minY),
          width: Double(clipBox.maxX - clipBox.minX), height: Double(clipBox.maxY - clipBox.minY))
    }
    set {
      guard let rect = newValue else {
        clipBox = bounds
        return
      }
      clipBox = Canvas.pixelBox(covering: rect).intersection(bounds)
    }
  }

  static func pixelBox(covering rect: Rect) -> PixelBox {
    func whole(_ value: Double) -> Int {
      Int(max(-1e9, min(1e9, value.isFinite ? value : 0)))
    }
    return PixelBox(
      minX: whole((rect.minX + 1e-9).rounded(.down)),
      minY: whole((rect.minY + 1e-9).rounded(.down)),
      maxX: whole((rect.maxX - 1e-9).rounded(.up)), maxY: whole((rect.maxY - 1e-9).rounded(.up)))
  }

  /// The colour of pixel (x, y).
  public subscript(x: Int, y: Int) -> Color {
    precondition(
      x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) is outside the canvas")
    let index = (y * width + x) * 4
    return Color(
      red: pixels[index], green: pixels[index + 1], blue: pixels[index + 2],
      alpha: pixels[index + 3])
  }

  // MARK: - Blending

  /// Source-over blending of `color` at `coverage` (0 to 1) into the pixel at byte `index`.
  @inline(__always)
  static func blend(
    _ buffer: UnsafeMutableBufferPointer<UInt8>, _ index: Int, _ color: Color, _ coverage: Float
  ) {
    let opacity = Float(color.alpha) * (1.0 / 255.0) * coverage
    if opacity <= 0.001 { return }
    if opacity >= 0.999 {
      buffer[index] = color.red
      buffer[index + 1] = color.green
      buffer[index + 2] = color.blue
      buffer[index + 3] = 255
      return
    }
    @inline(__always) func mix(_ destination: UInt8, _ source: UInt8) -> UInt8 {
      let d = Float(destination)
      return UInt8(d + (Float(source) - d) * opacity + 0.5)
    }
    buffer[index] = mix(buffer[index], color.red)
    buffer[index + 1] = mix(buffer[index + 1], color.green)
    buffer[index + 2] = mix(buffer[index + 2], color.blue)
    buffer[index + 3] = mix(buffer[index + 3], 255)
  }

  /// Blends `color` into one pixel, respecting the clip rectangle.
  public mutating func blendPixel(x: Int, y: Int, color: Color, coverage: Double = 1) {
    guard x >= clipBox.minX, x < clipBox.maxX, y >= clipBox.minY, y < clipBox.maxY else { return }
    let index = (y * width + x) * 4
    pixels.withUnsafeMutableBufferPointer { Canvas.blend($0, index, color, Float(coverage)) }
  }

  /// Blends `color` through a coverage mask laid over `box`.
  mutating func composite(mask: [Float], box: PixelBox, color: Color) {
    let maskWidth = box.maxX - box.minX
    let canvasWidth = width
    pixels.withUnsafeMutableBufferPointer { buffer in
      mask.withUnsafeBufferPointer { coverage in
        for y in box.minY..<box.maxY {
          let maskRow = (y - box.minY) * maskWidth
          let pixelRow = y * canvasWidth
          for x in box.minX..<box.maxX {
            let value = coverage[maskRow + x - box.minX]
            if value > 0 { Canvas.blend(buffer, (pixelRow + x) * 4, color, min(1, value)) }
          }
        }
      }
    }
  }

  // MARK: - Rectangles

  /// Fills a rectangle; fractional edges are blended by the area they cover.
  public mutating func fill(_ rect: Rect, color: Color) {
    guard rect.width > 0, rect.height > 0 else { return }
    let box = Canvas.pixelBox(covering: rect).intersection(clipBox)
    guard !box.isEmpty else { return }
    let canvasWidth = width
    pixels.withUnsafeMutableBufferPointer { buffer in
      for y in box.minY..<box.maxY {
        let coverY = min(rect.maxY, Double(y + 1)) - max(rect.minY, Double(y))
        if coverY <= 0 { continue }
        for x in box.minX..<box.maxX {
          let coverX = min(rect.maxX, Double(x + 1)) - max(rect.minX, Double(x))
          if coverX <= 0 { continue }
          Canvas.blend(buffer, (y * canvasWidth + x) * 4, color, Float(min(1, coverX * coverY)))
        }
      }
    }
  }

  /// Outlines a rectangle with a line of `lineWidth` pixels drawn inside its edges.
  public mutating func stroke(_ rect: Rect, color: Color, lineWidth: Double = 1) {
    let w = min(lineWidth, rect.width / 2, rect.height / 2)
    fill(Rect(x: rect.minX, y: rect.minY, width: rect.width, height: w), color: color)
    fill(Rect(x: rect.minX, y: rect.maxY - w, width: rect.width, height: w), color: color)
    fill(Rect(x: rect.minX, y: rect.minY + w, width: w, height: rect.height - 2 * w), color: color)
    fill(
      Rect(x: rect.maxX - w, y: rect.minY + w, width: w, height: rect.height - 2 * w), color: color)
  }

  // MARK: - Lines

  /// Draws a straight line with round ends.
  public mutating func drawLine(
    from start: Point, to end: Point, width lineWidth: Double = 1, color: Color
  ) {
    drawPolyline([start, end], width: lineWidth, color: color)
  }

  /// Draws connected segments with round joins. Coverage is accumulated per pixel before
  /// blending, so a translucent line is not darker where its segments meet.
  public mutating func drawPolyline(
    _ points: [Point], width lineWidth: Double = 1, color: Color, closed: Bool = false
  ) {
    let vertices = points.filter { $0.x.isFinite && $0.y.isFinite }
    guard !vertices.isEmpty, lineWidth > 0 else { return }
    // Lines thinner than a pixel are drawn one pixel wide and fainter, which reads the same.
    let radius = max(lineWidth, 1) / 2
    let faintness = Float(min(lineWidth, 1))
    let reach = radius + 0.5
    let box = Canvas.pixelBox(covering: Rect(bounding: vertices, margin: reach)).intersection(clipBox)
    guard !box.isEmpty else { return }
    let maskWidth = box.maxX - box.minX
    var mask = [Float](repeating: 0, count: maskWidth * (box.maxY - box.minY))
    var segments: [(Point, Point)] = []
    if vertices.count == 1 { segments.append((vertices[0], vertices[0])) }
    for i in 0..<(vertices.count - 1) { segments.append((vertices[i], vertices[i + 1])) }
    if closed && vertices.count > 2 { segments.append((vertices[vertices.count - 1], vertices[0])) }

    mask.withUnsafeMutableBufferPointer { coverage in
      for (a, b) in segments {
        let dx = b.x - a.x
        let dy = b.y - a.y
        let lengthSquared = dx * dx + dy * dy
        let firstRow = max(box.minY, Int((min(a.y, b.y) - reach).rounded(.down)))
        let lastRow = min(box.maxY - 1, Int((max(a.y, b.y) + reach).rounded(.up)))
        if firstRow > lastRow { continue }
        for row in firstRow...lastRow {
          let centerY = Double(row) + 0.5
          // Only the part of the segment within `reach` of this row can touch its pixels.
          var t0 = 0.0
          var t1 = 1.0
          if abs(dy) > 1e-12 {
            let u = (centerY - reach - a.y) / dy
            let v = (centerY + reach - a.y) / dy
            t0 = max(0, min(u, v))
            t1 = min(1, max(u, v))
            if t0 > t1 { continue }
          } else if abs(a.y - centerY) > reach {
            continue
          }
          let xa = a.x + dx * t0
          let xb = a.x + dx * t1
          let firstColumn = max(box.minX, Int((min(xa, xb) - reach - 0.5).rounded(.down)))
          let lastColumn = min(box.maxX - 1, Int((max(xa, xb) + reach - 0.5).rounded(.up)))
          if firstColumn > lastColumn { continue }
          let maskRow = (row - box.minY) * maskWidth - box.minX
          for column in firstColumn...lastColumn {
            let px = Double(column) + 0.5 - a.x
            let py = centerY - a.y
            var t = lengthSquared > 0 ? (px * dx + py * dy) / lengthSquared : 0
            t = max(0, min(1, t))
            let ex = px - t * dx
            let ey = py - t * dy
            let distance = (ex * ex + ey * ey).squareRoot()
            let value = Float(max(0, min(1, reach - distance))) * faintness
            if value > coverage[maskRow + column] { coverage[maskRow + column] = value }
          }
        }
      }
    }
    composite(mask: mask, box: box, color: color)
  }

  // MARK: - Polygons

  /// Fills a polygon (non-zero winding rule) with anti-aliased edges: exact horizontal
  /// coverage, five sub-scanlines per pixel row.
  public mutating func fillPolygon(_ points: [Point], color: Color) {
    let vertices = points.filter { $0.x.isFinite && $0.y.isFinite }
    guard vertices.count >= 3 else { return }
    let box = Canvas.pixelBox(covering: Rect(bounding: vertices)).intersection(clipBox)
    guard !box.isEmpty else { return }
    struct Edge {
      var x0, y0, x1, y1: Double
      var direction: Int
    }
    var edges: [Edge] = []
    for i in 0..<vertices.count {
      let a = vertices[i]
      let b = vertices[(i + 1) % vertices.count]
      if a.y == b.y { continue }
      edges.append(
        a.y < b.y
          ? Edge(x0: a.x, y0: a.y, x1: b.x, y1: b.y, direction: 1)
          : Edge(x0: b.x, y0: b.y, x1: a.x, y1: a.y, direction: -1))
    }
    let rowWidth = box.maxX - box.minX
    var mask = [Float](repeating: 0, count: rowWidth * (box.maxY - box.minY))
    let subRows = 5
    let weight = 1.0 / Double(subRows)
    var crossings: [(x: Double, direction: Int)] = []
    for row in box.minY..<box.maxY {
      let maskRow = (row - box.minY) * rowWidth
      for sub in 0..<subRows {
        let y = Double(row) + (Double(sub) + 0.5) * weight
        crossings.removeAll(keepingCapacity: true)
        for edge in edges where y >= edge.y0 && y < edge.y1 {
          let x = edge.x0 + (y - edge.y0) / (edge.y1 - edge.y0) * (edge.x1 - edge.x0)
          crossings.append((x, edge.direction))
        }
        if crossings.count < 2 { continue }
        crossings.sort { $0.x < $1.x }
        var winding = 0
        for i in 0..<(crossings.count - 1) {
          winding += crossings[i].direction
          if winding == 0 { continue }
          let left = max(crossings[i].x, Double(box.minX))
          let right = min(crossings[i + 1].x, Double(box.maxX))
          if right <= left { continue }
          let firstColumn = Int(left.rounded(.down))
          let lastColumn = min(box.maxX - 1, Int((right - 1e-9).rounded(.down)))
          if firstColumn > lastColumn { continue }
          for column in firstColumn...lastColumn {
            let covered = min(right, Double(column + 1)) - max(left, Double(column))
            if covered > 0 { mask[maskRow + column - box.minX] += Float(covered * weight) }
          }
        }
      }
    }
    composite(mask: mask, box: box, color: color)
  }

  // MARK: - Circles and markers

  /// Fills a disc; the edge is blended by distance from the circle.
  public mutating func fillCircle(center: Point, radius: Double, color: Color) {
    guard radius > 0, center.x.isFinite, center.y.isFinite else { return }
    let box = Canvas.pixelBox(
      covering: Rect(
        x: center.x - radius - 1, y: center.y - radius - 1, width: 2 * radius + 2,
        height: 2 * radius + 2)
    ).intersection(clipBox)
    guard !box.isEmpty else { return }
    // Discs smaller than a pixel keep their area by fading instead of vanishing.
    let drawnRadius = max(radius, 0.5)
    let faintness = min(1, (radius * radius) / (drawnRadius * drawnRadius))
    let canvasWidth = width
    pixels.withUnsafeMutableBufferPointer { buffer in
      for y in box.minY..<box.maxY {
        let dy = Double(y) + 0.5 - center.y
        for x in box.minX..<box.maxX {
          let dx = Double(x) + 0.5 - center.x
          let coverage =
            max(0, min(1, drawnRadius + 0.5 - (dx * dx + dy * dy).squareRoot())) * faintness
          if coverage > 0 {
            Canvas.blend(buffer, (y * canvasWidth + x) * 4, color, Float(coverage))
          }
        }
      }
    }
  }

  /// Draws a circle outline of `lineWidth` pixels centred on the radius.
  public mutating func strokeCircle(
    center: Point, radius: Double, lineWidth: Double = 1, color: Color
  ) {
    guard radius > 0, center.x.isFinite, center.y.isFinite else { return }
    let half = max(lineWidth, 1) / 2
    let reach = radius + half + 1
    let box = Canvas.pixelBox(
      covering: Rect(x: center.x - reach, y: center.y - reach, width: 2 * reach, height: 2 * reach)
    )
    .intersection(clipBox)
    guard !box.isEmpty else { return }
    let faintness = min(1, lineWidth)
    let canvasWidth = width
    pixels.withUnsafeMutableBufferPointer { buffer in
      for y in box.minY..<box.maxY {
        let dy = Double(y) + 0.5 - center.y
        for x in box.minX..<box.maxX {
          let dx = Double(x) + 0.5 - center.x
          let distance = abs((dx * dx + dy * dy).squareRoot() - radius)
          let coverage = max(0, min(1, half + 0.5 - distance)) * faintness
          if coverage > 0 {
            Canvas.blend(buffer, (y * canvasWidth + x) * 4, color, Float(coverage))
          }
        }
      }
    }
  }

  /// Draws a marker of roughly `size` pixels across, filled and optionally outlined.
  public mutating func drawMarker(
    _ marker: Marker, at center: Point, size: Double, fill: Color, outline: Color? = nil,
    outlineWidth: Double = 1
  ) {
    guard center.x.isFinite, center.y.isFinite, size > 0 else { return }
    let r = size / 2
    switch marker {
    case .circle:
      fillCircle(center: center, radius: r, color: fill)
      if let outline {
        strokeCircle(center: center, radius: r, lineWidth: outlineWidth, color: outline)
      }
    case .plus, .cross:
      let d = marker == .plus ? r : r * 0.75
      let lines: [(Point, Point)] =
        marker == .plus
        ? [
          (Point(center.x - d, center.y), Point(center.x + d, center.y)),
          (Point(center.x, center.y - d), Point(center.x, center.y + d)),
        ]
        : [
          (Point(center.x - d, center.y - d), Point(center.x + d, center.y + d)),
          (Point(center.x - d, center.y + d), Point(center.x + d, center.y - d)),
        ]
      if let outline {
        for (a, b) in lines {
          drawLine(from: a, to: b, width: max(2, size / 4) + 2 * outlineWidth, color: outline)
        }
      }
      for (a, b) in lines { drawLine(from: a, to: b, width: max(2, size / 4), color: fill) }
    default:
      let polygon = marker.polygon(center: center, radius: r)
      fillPolygon(polygon, color: fill)
      if let outline { drawPolyline(polygon, width: outlineWidth, color: outline, closed: true) }
    }
  }
}

/// Shapes for data points. Charts give each series its own shape as well as its own colour,
/// so series stay apart in grayscale and for colour-blind readers.
public enum Marker: Int, CaseIterable, Sendable {
  case circle, square, triangle, diamond, triangleDown, plus, cross

  /// The marker of series `index`, wrapping around.
  public static func at(_ index: Int) -> Marker {
    allCases[((index % allCases.count) + allCases.count) % allCases.count]
  }

  func polygon(center c: Point, radius r: Double) -> [Point] {
    switch self {
    case .square:
      // Slightly smaller than the circle's radius so both look the same size.
      let h = r * 0.85
      return [
        Point(c.x - h, c.y - h), Point(c.x + h, c.y - h), Point(c.x + h, c.y + h),
        Point(c.x - h, c.y + h),
      ]
    case .triangle:
      let h = r * 1.15
      return [
        Point(c.x, c.y - h), Point(c.x + h * 0.866, c.y + h * 0.5),
        Point(c.x - h * 0.866, c.y + h * 0.5),
      ]
    case .triangleDown:
      let h = r * 1.15
      return [
        Point(c.x, c.y + h), Point(c.x - h * 0.866, c.y - h * 0.5),
        Point(c.x + h * 0.866, c.y - h * 0.5),
      ]
    case .diamond:
      let h = r * 1.15
      return [Point(c.x, c.y - h), Point(c.x + h, c.y), Point(c.x, c.y + h), Point(c.x - h, c.y)]
    case .circle, .plus, .cross:
      return (0..<16).map { i in
        let angle = Double(i) * .pi / 8
        return Point(c.x + r * cosine(angle), c.y + r * sine(angle))
      }
    }
  }
}
