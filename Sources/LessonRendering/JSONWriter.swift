/// A JSON value written the way Jupyter writes notebooks: keys sorted, one space of indentation per
/// level, `": "` after keys, non-ASCII text as is. Same value, same bytes.
indirect enum JSONValue: Equatable {
  case object([String: JSONValue])
  case array([JSONValue])
  case string(String)
  case integer(Int)
  case null

  /// The value as text, ending without a newline.
  func serialized() -> String {
    var output = ""
    write(to: &output, indent: 0)
    return output
  }

  private func write(to output: inout String, indent: Int) {
    switch self {
    case .null:
      output += "null"
    case .integer(let value):
      output += String(value)
    case .string(let text):
      output += Self.quoted(text)
    case .array(let elements):
      guard !elements.isEmpty else {
        output += "[]"
        return
      }
      output += "[\n"
      for (index, element) in elements.enumerated() {
        output += String(repeating: " ", count: indent + 1)
        element.write(to: &output, indent: indent + 1)
        output += index + 1 < elements.count ? ",\n" : "\n"
      }
      output += String(repeating: " ", count: indent) + "]"
    case .object(let members):
      guard !members.isEmpty else {
        output += "{}"
        return
      }
      output += "{\n"
      let keys = members.keys.sorted {
        Array($0.unicodeScalars.map(\.value)).lexicographicallyPrecedes($1.unicodeScalars.map(\.value))
      }
      for (index, key) in keys.enumerated() {
        output += String(repeating: " ", count: indent + 1) + Self.quoted(key) + ": "
        members[key]!.write(to: &output, indent: indent + 1)
        output += index + 1 < keys.count ? ",\n" : "\n"
      }
      output += String(repeating: " ", count: indent) + "}"
    }
  }

  /// `text` as a JSON string: quotes, backslashes and control characters escaped, `/` left alone.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\u{08}": result += "\\b"
      case "\u{0C}": result += "\\f"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}

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
