import Testing

@testable import Support

@Suite("Number format")
struct NumberFormatTests {
  @Test func decimalRoundsHalfAwayFromZeroWithoutFloatNoise() {
    #expect(NumberFormat.decimal(0.1, decimals: 3) == "0.100")
    #expect(NumberFormat.decimal(2.5, decimals: 0) == "3")
    #expect(NumberFormat.decimal(-2.5, decimals: 0) == "-3")
    #expect(NumberFormat.decimal(0.125, decimals: 2) == "0.13")
    #expect(NumberFormat.decimal(Double(Float(0.1)), decimals: 4) == "0.1000")
  }

  @Test func decimalDropsTheSignOfAValueThatRoundsToZero() {
    #expect(NumberFormat.decimal(-0.0004, decimals: 3) == "0.000")
  }

  @Test func decimalAndFixedSpellNonFiniteValuesAsTheyAlwaysHave() {
    // Lessons print "nan", figure labels "NaN": both are in committed pages and images.
    #expect(NumberFormat.decimal(.nan, decimals: 2) == "nan")
    #expect(NumberFormat.fixed(.nan, decimals: 2) == "NaN")
    #expect(NumberFormat.decimal(-.infinity, decimals: 2) == "-inf")
    #expect(NumberFormat.fixed(.infinity, decimals: 2) == "inf")
  }

  @Test func hugeValuesLeaveExactIntegerArithmetic() {
    #expect(NumberFormat.decimal(1e19, decimals: 0) == "1e+19")
    #expect(NumberFormat.fixed(1e16, decimals: 0) == "1e16")
    #expect(NumberFormat.decimal(1e16, decimals: 0) == "10000000000000000")
  }

  @Test func percentScalesTheFraction() {
    #expect(NumberFormat.percent(0.1234, decimals: 1) == "12.3%")
    #expect(NumberFormat.percent(1, decimals: 0) == "100%")
    #expect(NumberFormat.percent(.nan, decimals: 1) == "nan")
  }

  @Test func decimalsAreClampedToFifteen() {
    #expect(NumberFormat.decimal(0.5, decimals: 20) == "0." + "5" + String(repeating: "0", count: 14))
    #expect(NumberFormat.decimal(0.5, decimals: -3) == "1")
  }
}
