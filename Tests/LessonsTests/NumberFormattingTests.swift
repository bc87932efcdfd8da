import Testing

@testable import Lessons

@Suite("Number formatting")
struct NumberFormattingTests {
  @Test func fixedDecimals() {
    #expect(format(Float(0.12345), decimals: 3) == "0.123")
    #expect(format(2.5, decimals: 0) == "3")
    #expect(format(-0.0001, decimals: 2) == "0.00")
    #expect(format(Double.nan, decimals: 2) == "nan")
  }

  @Test func percentages() {
    #expect(formatPercent(0.1234) == "12.3%")
    #expect(formatPercent(1.0) == "100.0%")
    #expect(formatPercent(Float(0.5), decimals: 0) == "50%")
    #expect(formatPercent(0.00049, decimals: 2) == "0.05%")
    #expect(formatPercent(Double.infinity) == "inf")
  }
}

@Suite("Tables")
struct TableTests {
  @Test func alignsTextLeftAndNumbersRight() {
    let table = formatTable(
      header: ["model", "experts", "accuracy"],
      rows: [["dense", "1", "91.2%"], ["mixture", "16", "94.8%"]])
    #expect(
      table == """
        model    experts  accuracy
        -------  -------  --------
        dense          1     91.2%
        mixture       16     94.8%
        """)
  }

  @Test func padsShortRowsWithoutTrailingSpaces() {
    let table = formatTable(header: ["a", "b"], rows: [["x"], ["yy", "2"]])
    #expect(table.split(separator: "\n").allSatisfy { !$0.hasSuffix(" ") })
    #expect(table.split(separator: "\n").last == "yy  2")
  }

  @Test func emptyTableIsEmptyText() {
    #expect(formatTable(header: [], rows: []) == "")
  }

  @Test func numericCells() {
    #expect(looksNumeric("12") && looksNumeric("-0.5") && looksNumeric("1e-3") && looksNumeric("91.2%"))
    #expect(looksNumeric("nan") && looksNumeric("-inf"))
    #expect(!looksNumeric("dense") && !looksNumeric("%") && !looksNumeric("12 ms"))
  }
}
