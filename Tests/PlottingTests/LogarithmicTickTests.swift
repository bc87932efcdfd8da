import Plotting
import Testing

/// Log axes over short ranges: every decade is labelled, with the 2x and 5x multiples between and
/// beyond the powers, so a curve's floor below the lowest power still has a label under it.
@Suite struct LogarithmicTickTests {
  @Test func threeDecadesLabelOneTwoFive() {
    let ticks = AxisTicks.logarithmic(lower: 0.01, upper: 1.5, maximumCount: 8)
    #expect(ticks.values == [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1])
    #expect(ticks.labels == ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"])
  }

  @Test func floorBelowTheLowestPowerGetsALabel() {
    let ticks = AxisTicks.logarithmic(lower: 0.0004, upper: 0.2, maximumCount: 8)
    #expect(ticks.values.first == 0.0005)
    #expect(ticks.values.last == 0.2)
    #expect(ticks.values.contains(0.001) && ticks.values.contains(0.01) && ticks.values.contains(0.1))
  }

  @Test func underOneDecadeGetsAtLeastFiveLabels() {
    // A loss falling from 0.4 to 0.03: 1-2-5 alone would label only 0.05, 0.1 and 0.2.
    let ticks = AxisTicks.logarithmic(lower: 0.03, upper: 0.4, maximumCount: 8)
    #expect(ticks.values == [0.03, 0.05, 0.1, 0.2, 0.3])
  }

  @Test func twoDecadesLabelOneTwoThreeFive() {
    // A curve above a floor of 0.0025: the 0.003 label sits just above the floor.
    let ticks = AxisTicks.logarithmic(lower: 0.0022, upper: 0.21, maximumCount: 8)
    #expect(ticks.values == [0.003, 0.005, 0.01, 0.02, 0.03, 0.05, 0.1, 0.2])
  }

  @Test func fourDecadesOrMoreKeepPowersOnly() {
    let ticks = AxisTicks.logarithmic(lower: 1e-3, upper: 10, maximumCount: 8)
    #expect(ticks.values == [0.001, 0.01, 0.1, 1, 10])
    #expect(!ticks.minorValues.isEmpty)
  }
}
