/// Everything that can go wrong while building or writing a figure.
///
/// Each message names what was wrong and, for files, the path, so a chapter run that fails
/// tells the reader which figure and why without a debugger.
public enum PlotError: Error, CustomStringConvertible, Equatable, Sendable {
  /// A series was added with no values at all.
  case emptySeries(name: String)
  /// Two arrays that must pair up element by element have different lengths.
  case lengthMismatch(what: String, expected: Int, actual: Int)
  /// A chart has nothing drawable: no series, or every value is NaN or infinite.
  case noData(chart: String)
  /// A parameter is outside what the chart can draw (negative size, empty range, ...).
  case invalidArgument(String)
  /// Image sizes must be positive and small enough to fit in memory.
  case invalidImageSize(width: Int, height: Int)
  /// The folder that should receive the file does not exist.
  case folderMissing(path: String, folder: String, reason: String)
  /// The operating system or libpng refused to write the file.
  case writeFailed(path: String, reason: String)
  /// libpng could not encode the image in memory.
  case encodingFailed(reason: String)

  public var description: String {
    switch self {
    case .emptySeries(let name):
      return "series '\(name)' is empty: give it at least one value"
    case .lengthMismatch(let what, let expected, let actual):
      return "\(what): expected \(expected) values, got \(actual)"
    case .noData(let chart):
      return "\(chart) has nothing to draw: add a series with at least one finite value"
    case .invalidArgument(let message):
      return message
    case .invalidImageSize(let width, let height):
      return "cannot make a \(width)x\(height) image: width and height must be between 1 and 32768"
    case .folderMissing(let path, let folder, let reason):
      return "cannot write '\(path)': cannot create folder '\(folder)': \(reason)"
    case .writeFailed(let path, let reason):
      return "cannot write '\(path)': \(reason)"
    case .encodingFailed(let reason):
      return "cannot encode PNG: \(reason)"
    }
  }
}
