// Chapter 6's exercises that check themselves: 5, 6 and 7 of the lesson's list. Replace each
// `throw NotDoneYet()` by your code, then run `make check-6`; it prints one line per exercise.
// The library's own versions (`shares`, `specializationScore`, `importanceLoss`) are what the
// checker compares with: write yours from the formulas, without calling them.
import Chapter06Checks
import Exercises
import Foundation  // log

/// Exercise 5. `winners[i]` is the expert (0..<expertCount) whose gate weight is largest in cell i
/// of a grid over the plane. Return the share of the plane won by each expert: for expert e, the
/// fraction of the cells whose winner is e (0 for an expert that wins no cell).
func planeShares(winners: [Int], expertCount: Int) throws -> [Double] {
  throw NotDoneYet()
}

/// Exercise 6. `matrix[q][e]` counts the cells of quadrant q won by expert e. Return the
/// specialization score I(Q; E) / H(Q): the mutual information between the quadrant and the winning
/// expert, divided by the entropy of the quadrant, both in nats, with 0 log 0 = 0. Return 0 when
/// H(Q) is 0; clamp the result to [0, 1] against rounding.
///
///     p(q, e) = matrix[q][e] / total      I = sum over q, e of p(q, e) log(p(q, e) / (p(q) p(e)))
func specializationScore(matrix: [[Int]]) throws -> Double {
  throw NotDoneYet()
}

/// Exercise 7. `probabilities[n][e]` is the gate weight of expert e for input n. Return the
/// importance loss of Shazeer et al. (2017): with Importance_e = sum over n of probabilities[n][e],
/// the squared coefficient of variation of the importances, variance / mean^2, with the population
/// variance (divide by the number of experts). It is 0 when every expert gets the same total weight.
func importanceLoss(probabilities: [[Float]]) throws -> Float {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter06Answers(
  planeShares: planeShares, specializationScore: specializationScore, importanceLoss: importanceLoss)
