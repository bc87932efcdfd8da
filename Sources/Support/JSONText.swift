/// A JSON value written the way Jupyter writes notebooks: keys sorted by Unicode scalar, one space of
/// indentation per level, `": "` after keys, non-ASCII text as is. Same value, same bytes.
///
/// Reports and notebooks use it where the bytes must not depend on a library's version; where they need
/// not, Foundation's JSONEncoder does as well.
public indirect enum JSONText: Equatable, Sendable {
  case object([String: JSONText])
  case array([JSONText])
  case string(String)
  case integer(Int)
  /// A number written as given, digit for digit (`"0.125"`, `"-3"`): the printed precision of a lesson's
  /// number survives into its report. The text must be a JSON number.
  case number(String)
  case bool(Bool)
  case null

  /// The value as text, ending without a newline.
  public func serialized() -> String {
    var output = ""
    write(to: &output, indent: 0)
    return output
  }

  private func write(to output: inout String, indent: Int) {
    switch self {
    case .null:
      output += "null"
    case .bool(let value):
      output += value ? "true" : "false"
    case .integer(let value):
      output += String(value)
    case .number(let text):
      output += text
    case .string(let text):
      output += JSONText.quoted(text)
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
        output += String(repeating: " ", count: indent + 1) + JSONText.quoted(key) + ": "
        members[key]!.write(to: &output, indent: indent + 1)
        output += index + 1 < keys.count ? ",\n" : "\n"
      }
      output += String(repeating: " ", count: indent) + "}"
    }
  }

  /// `text` as a JSON string (RFC 8259): quotes, backslashes and control characters escaped, `/` left
  /// alone. Backspace and form feed are written `\b` and `\f` as Python's json module writes them, or, with
  /// `namedBackspaceAndFormFeed: false`, as `\u0008` and `\u000c` (the safetensors headers written so far).
  public static func quoted(_ text: String, namedBackspaceAndFormFeed: Bool = true) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      case "\u{08}" where namedBackspaceAndFormFeed: result += "\\b"
      case "\u{0C}" where namedBackspaceAndFormFeed: result += "\\f"
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
