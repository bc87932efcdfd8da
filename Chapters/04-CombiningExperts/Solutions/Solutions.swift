// The teacher's answers to chapter 4's checked exercises (`make check-4 SOLUTIONS=1`).
import Chapter04Checks

func winnerIntervals(xs: [Float], winners: [Int]) throws -> [WinnerInterval] {
  var intervals: [WinnerInterval] = []
  var first = 0
  for i in winners.indices where i == winners.count - 1 || winners[i + 1] != winners[i] {
    intervals.append(WinnerInterval(expert: winners[i], from: xs[first], to: xs[i]))
    first = i + 1
  }
  return intervals
}

// Three experts of 8 + 8 + 8 + 1 = 25 and a gate of 3 + 3: 81. A 1-H-1 expert has 3 H + 1 = 82.
func singleExpertWidth() throws -> Int { 27 }

// `make chapter-4 ARGS="--quick"` with `temperature: 1`: the mixture's row of the table.
func mixtureErrorAtTemperatureOne() throws -> Double { 0.0661 }

public let answers = Chapter04Answers(
  winnerIntervals: winnerIntervals, singleExpertWidth: singleExpertWidth,
  mixtureErrorAtTemperatureOne: mixtureErrorAtTemperatureOne)
