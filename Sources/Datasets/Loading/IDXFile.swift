/// An IDX file of unsigned bytes (LeCun's MNIST format): a big-endian magic 0x08_NN (type 0x08 =
/// uint8, NN dimensions), NN big-endian 32-bit sizes, then the data.
struct IDXFile {
  let dimensions: [Int]
  /// Offset of the first data byte in `bytes`.
  let dataOffset: Int
  let bytes: [UInt8]

  init(_ bytes: [UInt8], expectedDimensions: Int, file: String) throws {
    func bigEndian32(at offset: Int) -> Int {
      (0..<4).reduce(0) { $0 << 8 | Int(bytes[offset + $1]) }
    }
    if bytes.count < 4 + 4 * expectedDimensions {
      throw DatasetError.badFormat(file: file, reason: "\(bytes.count) bytes is too short for an IDX header")
    }
    let magic = bigEndian32(at: 0)
    let expectedMagic = 0x800 | expectedDimensions
    if magic != expectedMagic {
      throw DatasetError.badFormat(
        file: file, reason: "IDX magic 0x\(String(magic, radix: 16)), expected 0x\(String(expectedMagic, radix: 16))")
    }
    let dimensions = (0..<expectedDimensions).map { bigEndian32(at: 4 + 4 * $0) }
    let dataOffset = 4 + 4 * expectedDimensions
    let expectedBytes = dimensions.reduce(1, *)
    if bytes.count - dataOffset != expectedBytes {
      throw DatasetError.badFormat(
        file: file,
        reason: "sizes \(dimensions) need \(expectedBytes) data bytes, the file has \(bytes.count - dataOffset)")
    }
    self.dimensions = dimensions
    self.dataOffset = dataOffset
    self.bytes = bytes
  }
}
