import CZlib

/// Decompresses a gzip file (RFC 1952) through zlib's `inflate`, checking each member's CRC-32 and
/// length: a truncated stream or a corrupt one throws instead of returning short data.
public func gunzip(file path: String) throws -> [UInt8] {
  try gunzip(try readFileBytes(path), file: path)
}

/// Decompresses gzip bytes; `file` only names the source in errors. Concatenated members (which the
/// gzip format allows) are decoded one after another.
public func gunzip(_ compressed: [UInt8], file: String) throws -> [UInt8] {
  if compressed.count < 18 {
    throw DatasetError.badCompression(
      file: file, reason: "\(compressed.count) bytes is shorter than the smallest gzip file (18)")
  }
  if compressed[0] != 0x1f || compressed[1] != 0x8b {
    throw DatasetError.badCompression(file: file, reason: "not gzip (the first two bytes are not 1f 8b)")
  }
  // The trailer's ISIZE (uncompressed length mod 2^32) of the last member sizes the first buffer.
  let tail = compressed.count - 4
  let sizeHint = (0..<4).reduce(0) { $0 | Int(compressed[tail + $1]) << (8 * $1) }
  var output = [UInt8](repeating: 0, count: max(sizeHint, 1024))
  var produced = 0

  var stream = z_stream()
  // 15 + 16: the largest window, and a gzip header and trailer rather than zlib's.
  var status = inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
  if status != Z_OK {
    throw DatasetError.badCompression(file: file, reason: "zlib could not start (status \(status))")
  }
  defer { inflateEnd(&stream) }

  try compressed.withUnsafeBufferPointer { input in
    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
    stream.avail_in = UInt32(input.count)
    while true {
      if produced == output.count { output.append(contentsOf: repeatElement(0, count: output.count)) }
      status = output.withUnsafeMutableBufferPointer { buffer in
        stream.next_out = buffer.baseAddress! + produced
        stream.avail_out = UInt32(buffer.count - produced)
        let result = inflate(&stream, Z_NO_FLUSH)
        produced = buffer.count - Int(stream.avail_out)
        return result
      }
      switch status {
      case Z_OK,
        Z_BUF_ERROR where stream.avail_out == 0:
        if stream.avail_in == 0 && stream.avail_out > 0 {
          throw DatasetError.badCompression(file: file, reason: "truncated: the stream ends before its trailer")
        }
      case Z_STREAM_END:
        if stream.avail_in == 0 { return }
        // Another member follows, unless the rest is padding of zeros (some tools write it).
        let rest = UnsafeBufferPointer(start: stream.next_in, count: Int(stream.avail_in))
        if rest.allSatisfy({ $0 == 0 }) { return }
        inflateReset(&stream)
      case Z_BUF_ERROR:
        throw DatasetError.badCompression(file: file, reason: "truncated: the stream ends before its trailer")
      default:
        let message = stream.msg.map { String(cString: $0) } ?? "status \(status)"
        throw DatasetError.badCompression(file: file, reason: message)
      }
    }
  }
  output.removeLast(output.count - produced)
  return output
}
