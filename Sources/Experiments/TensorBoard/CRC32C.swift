/// CRC-32C (Castagnoli, polynomial 0x1EDC6F41, reflected 0x82F63B78), which TFRecord framing uses,
/// and the "masked" form TensorFlow stores: ((crc >> 15) | (crc << 17)) + 0xa282ead8.
enum CRC32C {
  static let table: [UInt32] = (0..<256).map { index in
    var value = UInt32(index)
    for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0x82F6_3B78 : value >> 1 }
    return value
  }

  static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
    return crc ^ 0xFFFF_FFFF
  }

  static func masked(_ bytes: some Sequence<UInt8>) -> UInt32 {
    let crc = checksum(bytes)
    return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }
}
