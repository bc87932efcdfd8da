/// The rows of a delimited text file (TSV or CSV without quoting), split on bytes so that `\r\n`
/// line ends and multi-byte UTF-8 inside fields need no special cases.
struct DelimitedText {
  /// Each row's fields, with the 1-based line number it came from. Empty lines are skipped.
  let rows: [(line: Int, fields: [String])]

  /// Splits `bytes` into lines and fields; every row must have exactly `fieldCount` fields.
  init(_ bytes: [UInt8], separator: UInt8, fieldCount: Int, file: String) throws {
    var rows: [(line: Int, fields: [String])] = []
    var line = 0
    try bytes.withUnsafeBufferPointer { buffer in
      var start = 0
      while start < buffer.count {
        line += 1
        var end = start
        while end < buffer.count && buffer[end] != 0x0A { end += 1 }
        var contentEnd = end
        if contentEnd > start && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
        if contentEnd > start {
          var fields: [String] = []
          fields.reserveCapacity(fieldCount)
          var fieldStart = start
          for position in start...contentEnd where position == contentEnd || buffer[position] == separator {
            let slice = UnsafeBufferPointer(rebasing: buffer[fieldStart..<position])
            guard let field = String(validating: slice, as: UTF8.self) else {
              throw DatasetError.badRow(file: file, line: line, reason: "field \(fields.count + 1) is not valid UTF-8")
            }
            fields.append(field)
            fieldStart = position + 1
          }
          if fields.count != fieldCount {
            throw DatasetError.badRow(
              file: file, line: line, reason: "\(fields.count) fields, expected \(fieldCount)")
          }
          rows.append((line, fields))
        }
        start = end + 1
      }
    }
    self.rows = rows
  }
}

/// An integer field, or a `badRow` error naming the column.
func integerField(_ text: String, column: String, file: String, line: Int) throws -> Int {
  guard let value = Int(text) else {
    throw DatasetError.badRow(file: file, line: line, reason: "\(column) '\(text)' is not an integer")
  }
  return value
}
