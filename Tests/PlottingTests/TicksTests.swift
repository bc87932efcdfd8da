import Testing

@testable import Plotting

@Suite struct TicksTests {
  @Test func unitIntervalUsesStepsOfTwoTenths() {
    let ticks = AxisTicks.linear(lower: 0, upper: 1, maximumCount: 7)
    #expect(ticks.values == [0, 0.2, 0.4, 0.6, 0.8, 1])
    #expect(ticks.labels == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
  }

  @Test func tickValuesHaveNoFloatNoise() {
    let ticks = AxisTicks.linear(lower: 0, upper: 1, maximumCount: 11)
    #expect(ticks.values[3] == 0.3)
    #expect(ticks.values[7] == 0.7)
    #expect(ticks.labels[3] == "0.3")
  }

  @Test func smallRangeAroundZero() {
    let ticks = AxisTicks.linear(lower: -0.003, upper: 0.017, maximumCount: 7)
    #expect(ticks.values == [0, 0.005, 0.01, 0.015])
    #expect(ticks.labels == ["0.000", "0.005", "0.010", "0.015"])
    let denser = AxisTicks.linear(lower: -0.003, upper: 0.017, maximumCount: 12)
    #expect(denser.values.first == -0.002)
    #expect(denser.labels.first == "-0.002")
    #expect(denser.values.count == 10)
  }

  @Test func stepsAreOneTwoOrFiveTimesAPowerOfTen() {
    for (lower, upper) in [(0.0, 7.3), (-13.0, 1042.0), (0.0001, 0.00093), (-5e6, 5e6), (3.0, 3.2)]
    {
      // From five ticks up, some 1-2-5 step always gives at least two.
      for count in 5...10 {
        let values = AxisTicks.linear(lower: lower, upper: upper, maximumCount: count).values
        #expect(values.count <= count)
        #expect(values.count >= 2, "too few ticks for \(lower)...\(upper) at \(count)")
        #expect(values.allSatisfy { $0 >= lower && $0 <= upper })
        let step = values[1] - values[0]
        let mantissa = step / NumberFormat.tenToThe(NumberFormat.decimalExponent(step))
        #expect([1.0, 2.0, 5.0].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
      }
    }
  }

  @Test func logarithmicOverFiveDecades() {
    let ticks = AxisTicks.logarithmic(lower: 1, upper: 1e5, maximumCount: 8)
    #expect(ticks.values == [1, 10, 100, 1000, 10000, 100000])
    #expect(ticks.labels == ["1", "10", "100", "1000", "10000", "1e5"])
    #expect(ticks.minorValues.contains(2))
    #expect(ticks.minorValues.contains(90000))
  }

  @Test func logarithmicThinsManyDecades() {
    let ticks = AxisTicks.logarithmic(lower: 1e-8, upper: 1e8, maximumCount: 6)
    #expect(ticks.values.count <= 6)
    #expect(ticks.values.first == 1e-8)
    #expect(ticks.labels.first == "1e-8")
  }

  @Test func logarithmicOverOneDecadeAddsTwoThreeAndFive() {
    let ticks = AxisTicks.logarithmic(lower: 0.04, upper: 1.3, maximumCount: 8)
    #expect(ticks.values == [0.05, 0.1, 0.2, 0.3, 0.5, 1])
    #expect(ticks.labels == ["0.05", "0.1", "0.2", "0.3", "0.5", "1"])
  }

  @Test func constantSeriesGetsARangeAroundItsValue() {
    let range = AxisRange.padded(lower: 0.5, upper: 0.5)
    #expect(range.lower < 0.5 && range.upper > 0.5)
    let ticks = AxisTicks.linear(lower: range.lower, upper: range.upper, maximumCount: 7)
    #expect(ticks.values.contains(0.5))
    #expect(ticks.labels.contains("0.50"))
    let zero = AxisRange.padded(lower: 0, upper: 0)
    #expect(zero.lower == -1 && zero.upper == 1)
    let logarithmic = AxisRange.paddedLogarithmic(lower: 100, upper: 100)
    #expect(logarithmic.lower < 100 && logarithmic.upper > 100)
    #expect(
      AxisTicks.logarithmic(lower: logarithmic.lower, upper: logarithmic.upper).values.contains(100)
    )
  }

  @Test func paddingKeepsAZeroBaseline() {
    let range = AxisRange.padded(lower: 0.2, upper: 0.9, padding: 0.1, includeZero: true)
    #expect(range.lower == 0)
    #expect(abs(range.upper - 0.99) < 1e-12)
  }
}
