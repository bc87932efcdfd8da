import Tensors
import Testing

/// formatDecimal and Tensor.description.
@Suite struct FormattingTests {
  @Test func fixedDecimals() {
    #expect(formatDecimal(Float(0.1), decimals: 3) == "0.100")
    #expect(formatDecimal(0.1, decimals: 3) == "0.100")
    #expect(formatDecimal(Float(1), decimals: 2) == "1.00")
    #expect(formatDecimal(123.456, decimals: 1) == "123.5")
    #expect(formatDecimal(42.0, decimals: 0) == "42")
    #expect(formatDecimal(0.000_123, decimals: 6) == "0.000123")
    #expect(formatDecimal(Float(3.14159), decimals: 4) == "3.1416")
  }

  @Test func negatives() {
    #expect(formatDecimal(-1.5, decimals: 2) == "-1.50")
    #expect(formatDecimal(Float(-0.25), decimals: 1) == "-0.3")
    #expect(formatDecimal(-7.0, decimals: 0) == "-7")
  }

  @Test func roundsHalfAwayFromZero() {
    #expect(formatDecimal(2.5, decimals: 0) == "3")
    #expect(formatDecimal(-2.5, decimals: 0) == "-3")
    #expect(formatDecimal(0.5, decimals: 0) == "1")
    #expect(formatDecimal(0.125, decimals: 2) == "0.13")
    #expect(formatDecimal(9.9996, decimals: 3) == "10.000")
  }

  @Test func noNegativeZero() {
    #expect(formatDecimal(-0.0004, decimals: 3) == "0.000")
    #expect(formatDecimal(Float(-0.0004), decimals: 3) == "0.000")
    #expect(formatDecimal(-0.0, decimals: 2) == "0.00")
    #expect(formatDecimal(-0.0005, decimals: 3) == "-0.001")
  }

  @Test func nonFinite() {
    #expect(formatDecimal(Float.nan, decimals: 3) == "nan")
    #expect(formatDecimal(Double.infinity, decimals: 3) == "inf")
    #expect(formatDecimal(-Float.infinity, decimals: 2) == "-inf")
  }

  @Test func descriptionOfSmallTensors() {
    #expect(Tensor(1.5).description == "1.5000, shape []")
    #expect(Tensor([1, -2.5]).description == "[1.0000, -2.5000], shape [2]")
    #expect(
      Tensor(rows: [[1, 2], [3, 4]]).description
        == "[[1.0000, 2.0000],\n [3.0000, 4.0000]], shape [2, 2]")
    #expect(
      Tensor([1, 2, 3, 4], shape: [2, 1, 2]).description
        == "[[[1.0000, 2.0000]],\n [[3.0000, 4.0000]]], shape [2, 1, 2]")
  }

  @Test func descriptionElidesLongDimensions() {
    #expect(
      Tensor.arange(0, 10).description
        == "[0.0000, 1.0000, 2.0000, ..., 7.0000, 8.0000, 9.0000], shape [10]")
    // Eight elements are still shown in full.
    #expect(!Tensor.arange(0, 8).description.contains("..."))
  }
}
