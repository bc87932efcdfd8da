/// A plain-text table with aligned columns, for results that compare several runs:
///
///     experts  accuracy  loss
///     -------  --------  ------
///           2     91.2%  0.2140
///           4     94.8%  0.1310
///
/// Columns whose cells are all numbers (optionally with a `%` sign) are right-aligned, the others
/// left-aligned; columns are separated by two spaces and lines carry no trailing spaces. Cells are text:
/// format numbers first (`format(_:decimals:)`, `formatPercent(_:)`), so the table prints the same
/// every run. Rows shorter than the header are padded with empty cells.
public func formatTable(header: [String], rows: [[String]]) -> String {
  let columnCount = max(header.count, rows.map(\.count).max() ?? 0)
  guard columnCount > 0 else { return "" }
  func cell(_ row: [String], _ column: Int) -> String { column < row.count ? row[column] : "" }

  var widths = [Int](repeating: 0, count: columnCount)
  for row in [header] + rows {
    for column in 0..<columnCount { widths[column] = max(widths[column], cell(row, column).count) }
  }
  let rightAligned = (0..<columnCount).map { column in
    let values = rows.map { cell($0, column) }.filter { !$0.isEmpty }
    return !values.isEmpty && values.allSatisfy(looksNumeric)
  }

  func line(_ row: [String]) -> String {
    var text = ""
    for column in 0..<columnCount {
      let value = cell(row, column)
      let padding = String(repeating: " ", count: widths[column] - value.count)
      if column > 0 { text += "  " }
      text += rightAligned[column] ? padding + value : value + padding
    }
    while text.last == " " { text.removeLast() }
    return text
  }

  var lines = [line(header), line(widths.map { String(repeating: "-", count: $0) })]
  lines += rows.map(line)
  return lines.joined(separator: "\n")
}

/// Prints `formatTable(header:rows:)` on standard output.
public func printTable(header: [String], rows: [[String]]) {
  print(formatTable(header: header, rows: rows))
}

/// "12", "-0.5", "1e-3", "91.2%", "nan", "inf": a cell that reads as a number.
func looksNumeric(_ text: String) -> Bool {
  var body = Substring(text)
  if body.hasSuffix("%") { body = body.dropLast() }
  if ["nan", "inf", "-inf"].contains(body) { return true }
  return Double(body) != nil
}
