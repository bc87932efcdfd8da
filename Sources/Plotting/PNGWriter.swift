import CPNG
import Glibc
import Support

// libpng reports errors by longjmp, which Swift cannot survive. The simplified API used here
// catches them inside libpng and returns 0 with a message instead; inputs are also checked
// before libpng sees them.

extension Canvas {
  static let largestSide = 32768

  /// The canvas encoded as PNG bytes: 8-bit RGB when every pixel is opaque, RGBA otherwise.
  /// The encoding carries no time stamp, so equal canvases give equal bytes.
  public func pngData() throws -> [UInt8] {
    try checkSize()
    var (image, buffer) = makeImage()
    var size = 0
    let probe = buffer.withUnsafeBytes {
      png_image_write_to_memory(&image, nil, &size, 0, $0.baseAddress, 0, nil)
    }
    guard probe != 0, size > 0 else {
      defer { png_image_free(&image) }
      throw PlotError.encodingFailed(reason: Canvas.message(of: image))
    }
    var data = [UInt8](repeating: 0, count: size)
    let written = data.withUnsafeMutableBytes { memory in
      buffer.withUnsafeBytes {
        png_image_write_to_memory(&image, memory.baseAddress, &size, 0, $0.baseAddress, 0, nil)
      }
    }
    guard written != 0 else {
      defer { png_image_free(&image) }
      throw PlotError.encodingFailed(reason: Canvas.message(of: image))
    }
    return Array(data.prefix(size))
  }

  /// Writes the canvas as a PNG file, creating missing folders on the way. The file appears complete
  /// or not at all: the image is written to a temporary file in the same folder, then renamed over
  /// `path`.
  public func writePNG(to path: String) throws {
    guard !path.isEmpty else {
      throw PlotError.invalidArgument("cannot write a PNG: the path is empty")
    }
    try checkSize()
    let folder = Canvas.folder(of: path)
    do {
      try AtomicFile.createFolders(folder)
    } catch {
      throw PlotError.folderMissing(path: path, folder: folder, reason: error.reason)
    }
    // Same folder as the target, so the rename cannot cross file systems.
    let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
    let temporaryPath = String(path[..<slash]) + "." + String(path[slash...]) + ".tmp-\(getpid())"
    var (image, buffer) = makeImage()
    let result = buffer.withUnsafeBytes {
      png_image_write_to_file(&image, temporaryPath, 0, $0.baseAddress, 0, nil)
    }
    guard result != 0 else {
      let reason = Canvas.message(of: image)
      png_image_free(&image)
      unlink(temporaryPath)
      throw PlotError.writeFailed(path: path, reason: reason)
    }
    guard rename(temporaryPath, path) == 0 else {
      let reason = SystemError.lastErrorDescription()
      unlink(temporaryPath)
      throw PlotError.writeFailed(path: path, reason: reason)
    }
  }

  func checkSize() throws {
    guard width > 0, height > 0, width <= Canvas.largestSide, height <= Canvas.largestSide else {
      throw PlotError.invalidImageSize(width: width, height: height)
    }
  }

  /// The libpng image description and the pixel rows it points at. Opaque canvases drop the
  /// alpha channel: the file is smaller and compresses faster.
  func makeImage() -> (png_image, [UInt8]) {
    var image = png_image()
    image.version = UInt32(PNG_IMAGE_VERSION)
    image.width = UInt32(width)
    image.height = UInt32(height)
    // Favour speed: figures are rewritten on every chapter run; the files grow by about 10%.
    image.flags = UInt32(PNG_IMAGE_FLAG_FAST)
    let opaque = pixels.withUnsafeBufferPointer { source in
      var index = 3
      while index < source.count {
        if source[index] != 255 { return false }
        index += 4
      }
      return true
    }
    guard opaque else {
      image.format = UInt32(PNG_FORMAT_FLAG_COLOR | PNG_FORMAT_FLAG_ALPHA)
      return (image, pixels)
    }
    image.format = UInt32(PNG_FORMAT_FLAG_COLOR)
    let count = width * height
    let rgb = [UInt8](unsafeUninitializedCapacity: count * 3) { destination, initialized in
      pixels.withUnsafeBufferPointer { source in
        for pixel in 0..<count {
          destination[pixel * 3] = source[pixel * 4]
          destination[pixel * 3 + 1] = source[pixel * 4 + 1]
          destination[pixel * 3 + 2] = source[pixel * 4 + 2]
        }
      }
      initialized = count * 3
    }
    return (image, rgb)
  }

  static func message(of image: png_image) -> String {
    var message = image.message
    let text = withUnsafeBytes(of: &message) { bytes in
      String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
    return text.isEmpty ? "libpng failed without a message" : text
  }

  /// The folder part of a path: "a/b.png" gives "a", "b.png" gives ".", "/b.png" gives "/".
  static func folder(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
  }
}
