/// Anything that can draw itself into a rectangle of a canvas: every chart kind, and grids
/// of them.
public protocol Chart {
  /// Draws the chart inside `area` of `canvas`. Throws when the data cannot be drawn
  /// (an empty series, arrays of different lengths, nothing finite to show).
  func draw(on canvas: inout Canvas, in area: Rect) throws
  /// Remarks about the data that the figure also prints, e.g. skipped NaN values.
  var notes: [String] { get }
  /// Size in pixels used by `render()` and `write(to:)` when none is given.
  var defaultSize: (width: Int, height: Int) { get }
}

extension Chart {
  public var defaultSize: (width: Int, height: Int) { (900, 675) }

  /// The chart drawn on a new white canvas.
  public func render(width: Int? = nil, height: Int? = nil) throws -> Canvas {
    let width = width ?? defaultSize.width
    let height = height ?? defaultSize.height
    guard width > 0, height > 0, width <= Canvas.largestSide, height <= Canvas.largestSide else {
      throw PlotError.invalidImageSize(width: width, height: height)
    }
    var canvas = Canvas(width: width, height: height)
    try draw(on: &canvas, in: Rect(x: 0, y: 0, width: Double(width), height: Double(height)))
    return canvas
  }

  /// Renders the chart and writes it as a PNG file (atomically: complete or not at all).
  public func write(to path: String, width: Int? = nil, height: Int? = nil) throws {
    try render(width: width, height: height).writePNG(to: path)
  }

  /// Renders the chart and returns the PNG bytes.
  public func pngData(width: Int? = nil, height: Int? = nil) throws -> [UInt8] {
    try render(width: width, height: height).pngData()
  }
}

/// Converts input arrays of any floating-point type to the Double used internally.
func doubles<T: BinaryFloatingPoint>(_ values: [T]) -> [Double] {
  values.map { Double($0) }
}

/// "1 value" / "3 values", for notes.
func countedValues(_ count: Int) -> String {
  count == 1 ? "1 value" : "\(count) values"
}
