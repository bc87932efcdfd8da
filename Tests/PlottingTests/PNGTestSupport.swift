import CPNG
import Foundation
import Plotting

/// A PNG file decoded through libpng's simplified read API, as RGBA.
struct DecodedPNG {
  var width: Int
  var height: Int
  var pixels: [UInt8]

  init(path: String) throws {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    guard png_image_begin_read_from_file(&image, path) != 0 else {
      throw DecodeError(message: "cannot open \(path)")
    }
    image.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
    width = Int(image.width)
    height = Int(image.height)
    var buffer = [UInt8](repeating: 0, count: width * height * 4)
    let finished = buffer.withUnsafeMutableBytes {
      png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
    }
    guard finished != 0 else {
      png_image_free(&image)
      throw DecodeError(message: "cannot decode \(path)")
    }
    pixels = buffer
  }

  subscript(x: Int, y: Int) -> Color {
    let index = (y * width + x) * 4
    return Color(
      red: pixels[index], green: pixels[index + 1], blue: pixels[index + 2],
      alpha: pixels[index + 3])
  }

  subscript(point: Point) -> Color {
    self[Int(point.x.rounded(.down)), Int(point.y.rounded(.down))]
  }
}

struct DecodeError: Error {
  var message: String
}

/// A fresh folder under the system's temporary folder, removed when the test is done.
final class TemporaryFolder {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "plotting-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  var contents: [String] { (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Writes `chart` to a temporary file and reads it back through libpng.
func roundTrip(_ chart: any Chart, width: Int, height: Int) throws -> DecodedPNG {
  let folder = try TemporaryFolder()
  let path = folder.file("chart.png")
  try chart.write(to: path, width: width, height: height)
  return try DecodedPNG(path: path)
}

func roundTrip(_ canvas: Canvas) throws -> DecodedPNG {
  let folder = try TemporaryFolder()
  let path = folder.file("canvas.png")
  try canvas.writePNG(to: path)
  return try DecodedPNG(path: path)
}

/// Colours within `tolerance` per channel (anti-aliasing and rounding leave small differences).
func close(_ a: Color, _ b: Color, tolerance: Int = 2) -> Bool {
  abs(Int(a.red) - Int(b.red)) <= tolerance && abs(Int(a.green) - Int(b.green)) <= tolerance
    && abs(Int(a.blue) - Int(b.blue)) <= tolerance
}

/// The chunk types of a PNG byte stream, in order.
func chunkTypes(_ data: [UInt8]) -> [String] {
  var types: [String] = []
  var offset = 8
  while offset + 8 <= data.count {
    let length = data[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
    types.append(String(decoding: data[offset + 4..<offset + 8], as: UTF8.self))
    offset += 12 + length
  }
  return types
}
