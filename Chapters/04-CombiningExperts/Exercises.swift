// Chapter 4's exercises that check themselves: 5, 6 and 7 of the lesson's list. Replace each
// `throw NotDoneYet()` by your answer, then run `make check-4`; it prints one line per exercise.
import Chapter04Checks
import Exercises

/// Exercise 5. `winners[i]` is the gate's top expert at grid point `xs[i]` (the points in increasing
/// order). Return the stretches over which the same expert wins, from left to right, each as
/// `WinnerInterval(expert:from:to:)` with its first and last grid point. An expert that wins in two
/// separate places has two intervals.
func winnerIntervals(xs: [Float], winners: [Int]) throws -> [WinnerInterval] {
  throw NotDoneYet()
}

/// Exercise 6. The chapter's mixture has three experts 1-8-1 and a softmax gate on x. Exercise 4 asks
/// for a single expert 1-H-1 with one parameter more than the mixture: what is H? Count by hand.
func singleExpertWidth() throws -> Int {
  throw NotDoneYet()
}

/// Exercise 7. Set the gate's temperature to 1 in the mixture's cell (`temperature: 1`), run
/// `make chapter-4 ARGS="--quick"`, and return the mixture's MSE on [-1, 1] from the table.
func mixtureErrorAtTemperatureOne() throws -> Double {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter04Answers(
  winnerIntervals: winnerIntervals, singleExpertWidth: singleExpertWidth,
  mixtureErrorAtTemperatureOne: mixtureErrorAtTemperatureOne)
