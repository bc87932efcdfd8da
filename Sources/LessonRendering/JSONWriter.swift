import Support

/// Notebooks are written with Support's `JSONText`: keys sorted, one space of indentation per level, the
/// bytes Jupyter writes.
typealias JSONValue = JSONText

/// Standard base64 (RFC 4648) with padding, as notebooks embed PNG images.
func base64(_ bytes: [UInt8]) -> String {
  let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
  var output = [UInt8]()
  output.reserveCapacity((bytes.count + 2) / 3 * 4)
  var index = 0
  while index + 3 <= bytes.count {
    let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
    for shift in [18, 12, 6, 0] { output.append(alphabet[Int((value >> UInt32(shift)) & 63)]) }
    index += 3
  }
  let remaining = bytes.count - index
  if remaining > 0 {
    let value = UInt32(bytes[index]) << 16 | (remaining == 2 ? UInt32(bytes[index + 1]) << 8 : 0)
    output.append(alphabet[Int((value >> 18) & 63)])
    output.append(alphabet[Int((value >> 12) & 63)])
    output.append(remaining == 2 ? alphabet[Int((value >> 6) & 63)] : UInt8(ascii: "="))
    output.append(UInt8(ascii: "="))
  }
  return String(decoding: output, as: UTF8.self)
}
