import Testing

@testable import Plotting

@Suite struct NumberFormattingTests {
  @Test func fixedDecimals() {
    #expect(NumberFormat.fixed(0.1, decimals: 1) == "0.1")
    #expect(NumberFormat.fixed(Double(Float(0.1)), decimals: 2) == "0.10")
    #expect(NumberFormat.fixed(-2.5, decimals: 0) == "-3")
    #expect(NumberFormat.fixed(1234.5678, decimals: 2) == "1234.57")
    #expect(NumberFormat.fixed(0.05, decimals: 3) == "0.050")
    #expect(NumberFormat.fixed(-0.0001, decimals: 2) == "0.00")
    #expect(NumberFormat.fixed(.nan, decimals: 2) == "NaN")
    #expect(NumberFormat.fixed(-.infinity, decimals: 2) == "-inf")
  }

  @Test func scientific() {
    #expect(NumberFormat.scientific(0.00025) == "2.5e-4")
    #expect(NumberFormat.scientific(100000) == "1e5")
    #expect(NumberFormat.scientific(-1.23456e7, significantDigits: 3) == "-1.23e7")
    #expect(NumberFormat.scientific(9.999e5, significantDigits: 2) == "1e6")
  }

  @Test func compactDropsFloatNoise() {
    #expect(NumberFormat.compact(Double(Float(0.1))) == "0.1")
    #expect(NumberFormat.compact(Double(Float(0.3)) * 3) == "0.9")
    #expect(NumberFormat.compact(0.8312) == "0.831")
    #expect(NumberFormat.compact(123.4) == "123")
    #expect(NumberFormat.compact(12_345) == "12345")
    #expect(NumberFormat.compact(2e7) == "2e7")
    #expect(NumberFormat.compact(0.00001234) == "1.23e-5")
    #expect(NumberFormat.compact(-0.0) == "0")
    #expect(NumberFormat.compact(-0.5) == "-0.5")
  }

  @Test func tickLabelsShareTheirDecimals() {
    #expect(NumberFormat.tickLabels([0, 0.5, 1, 1.5], step: 0.5) == ["0.0", "0.5", "1.0", "1.5"])
    #expect(NumberFormat.tickLabels([-20, 0, 20, 40], step: 20) == ["-20", "0", "20", "40"])
    #expect(NumberFormat.tickLabels([0, 2e6, 4e6], step: 2e6) == ["0", "2e6", "4e6"])
    #expect(NumberFormat.tickLabels([0.0002, 0.0004], step: 0.0002) == ["2e-4", "4e-4"])
    #expect(NumberFormat.tickLabels([0, 0.25, 0.5], step: 0.25) == ["0.00", "0.25", "0.50"])
  }
}
