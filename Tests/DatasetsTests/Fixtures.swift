import CZlib
import Datasets
import Foundation

/// A temporary folder for one test's broken files, removed when the test ends.
final class FixtureFolder {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "datasets-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `bytes` to `name` in the folder and returns the file's path.
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let file = path + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }

  func writeGzip(_ name: String, _ bytes: [UInt8]) throws -> String { try write(name, gzip(bytes)) }
  func writeGzip(_ name: String, text: String) throws -> String { try write(name, gzip(Array(text.utf8))) }
}

/// Gzip-compresses `bytes` with zlib's deflate (windowBits 15 + 16 writes a gzip wrapper).
func gzip(_ bytes: [UInt8]) -> [UInt8] {
  var stream = z_stream()
  deflateInit2_(
    &stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
  defer { deflateEnd(&stream) }
  var input = bytes
  var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
  let written = input.withUnsafeMutableBufferPointer { source in
    output.withUnsafeMutableBufferPointer { target in
      stream.next_in = source.baseAddress
      stream.avail_in = UInt32(source.count)
      stream.next_out = target.baseAddress
      stream.avail_out = UInt32(target.count)
      let status = deflate(&stream, Z_FINISH)
      precondition(status == Z_STREAM_END, "deflate did not finish: \(status)")
      return target.count - Int(stream.avail_out)
    }
  }
  return Array(output[0..<written])
}

/// An IDX header: magic 0x0800 | sizes.count, then each size, all big-endian 32-bit.
func idxHeader(magic: Int, sizes: [Int]) -> [UInt8] {
  ([magic] + sizes).flatMap { value in (0..<4).map { UInt8((value >> (24 - 8 * $0)) & 0xff) } }
}

/// The thrown `DatasetError`'s description, or nil when nothing (or something else) was thrown.
func datasetErrorDescription(_ body: () throws -> Void) -> String? {
  do {
    try body()
    return nil
  } catch let error as DatasetError {
    return error.description
  } catch {
    return nil
  }
}
