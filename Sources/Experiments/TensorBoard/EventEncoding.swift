/// Protocol-buffer wire format for the three TensorBoard messages the runner writes (see
/// `EventFileWriter`): varints, 64-bit and 32-bit fixed fields, and length-delimited fields.
enum EventEncoding {
  static func varint(_ value: UInt64) -> [UInt8] {
    var value = value
    var bytes: [UInt8] = []
    repeat {
      var byte = UInt8(value & 0x7F)
      value >>= 7
      if value != 0 { byte |= 0x80 }
      bytes.append(byte)
    } while value != 0
    return bytes
  }

  static func key(_ field: Int, _ wireType: Int) -> [UInt8] { varint(UInt64(field << 3 | wireType)) }

  static func lengthDelimited(_ field: Int, _ bytes: [UInt8]) -> [UInt8] {
    key(field, 2) + varint(UInt64(bytes.count)) + bytes
  }

  static func littleEndianBytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<(T.bitWidth / 8)).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
  }

  static func event(
    wallTime: Double, step: Int64, fileVersion: String? = nil, scalars: [(tag: String, value: Float)] = []
  ) -> [UInt8] {
    var bytes = key(1, 1) + littleEndianBytes(wallTime.bitPattern)
    bytes += key(2, 0) + varint(UInt64(bitPattern: step))
    if let fileVersion { bytes += lengthDelimited(3, Array(fileVersion.utf8)) }
    if !scalars.isEmpty {
      let summary = scalars.flatMap { scalar in
        lengthDelimited(
          1, lengthDelimited(1, Array(scalar.tag.utf8)) + key(2, 5) + littleEndianBytes(scalar.value.bitPattern))
      }
      bytes += lengthDelimited(5, summary)
    }
    return bytes
  }

  /// TFRecord framing of one serialized event.
  static func record(_ data: [UInt8]) -> [UInt8] {
    let length = littleEndianBytes(UInt64(data.count))
    return length + littleEndianBytes(CRC32C.masked(length)) + data + littleEndianBytes(CRC32C.masked(data))
  }

  struct DecodedEvent {
    var step: Int64 = 0
    var fileVersion: String?
    var scalars: [(tag: String, value: Float)] = []
  }

  /// Reads the fields the writer writes; other fields are skipped as the wire format allows.
  static func decodeEvent(_ bytes: [UInt8]) throws -> DecodedEvent {
    var event = DecodedEvent()
    try fields(bytes) { field, wireType, value, payload in
      switch (field, wireType) {
      case (2, 0): event.step = Int64(bitPattern: value)
      case (3, 2): event.fileVersion = String(decoding: payload, as: UTF8.self)
      case (5, 2):
        try fields(payload) { field, wireType, _, valuePayload in
          guard field == 1, wireType == 2 else { return }
          var tag = ""
          var number: Float = .nan
          try fields(valuePayload) { field, wireType, raw, text in
            if field == 1, wireType == 2 { tag = String(decoding: text, as: UTF8.self) }
            if field == 2, wireType == 5 { number = Float(bitPattern: UInt32(truncatingIfNeeded: raw)) }
          }
          event.scalars.append((tag, number))
        }
      default: break
      }
    }
    return event
  }

  struct MalformedMessage: Error {}

  /// Calls `visit(field, wireType, numeric value, length-delimited payload)` for every field.
  static func fields(_ bytes: [UInt8], _ visit: (Int, Int, UInt64, [UInt8]) throws -> Void) throws {
    var offset = 0
    func readVarint() throws -> UInt64 {
      var result: UInt64 = 0
      var shift: UInt64 = 0
      while true {
        guard offset < bytes.count, shift < 64 else { throw MalformedMessage() }
        let byte = bytes[offset]
        offset += 1
        result |= UInt64(byte & 0x7F) << shift
        if byte & 0x80 == 0 { return result }
        shift += 7
      }
    }
    func readFixed(_ count: Int) throws -> UInt64 {
      guard offset + count <= bytes.count else { throw MalformedMessage() }
      let value = (0..<count).reduce(UInt64(0)) { $0 | (UInt64(bytes[offset + $1]) << (8 * UInt64($1))) }
      offset += count
      return value
    }
    while offset < bytes.count {
      let header = try readVarint()
      let field = Int(header >> 3)
      let wireType = Int(header & 7)
      switch wireType {
      case 0: try visit(field, 0, try readVarint(), [])
      case 1: try visit(field, 1, try readFixed(8), [])
      case 5: try visit(field, 5, try readFixed(4), [])
      case 2:
        let length = Int(try readVarint())
        guard length >= 0, offset + length <= bytes.count else { throw MalformedMessage() }
        let payload = Array(bytes[offset..<(offset + length)])
        offset += length
        try visit(field, 2, 0, payload)
      default: throw MalformedMessage()
      }
    }
  }
}
