// Chapter 5's exercises that check themselves: 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your answer, then run `make check-5`; it prints one line per exercise.
import Chapter05Checks
import Exercises
import Foundation  // pow, sqrt

/// Exercise 6. Apply Adam (Kingma and Ba 2015) to the parameters `start`, one step per row of
/// `gradients` (row t is the gradient at step t = 1, 2, ...), and return the parameters after the
/// last step. Use beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8, moments starting at 0:
///
///     m = beta1 m + (1 - beta1) g         v = beta2 v + (1 - beta2) g^2
///     p = p - learningRate * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
func adamSteps(start: [Float], gradients: [[Float]], learningRate: Float) throws -> [Float] {
  throw NotDoneYet()
}

/// Exercise 7. Return the smallest hidden width H for which a single MLP `inputSize`-H-1 has at
/// least as many parameters as a mixture of `experts` experts `inputSize`-`expertHidden`-1 with a
/// softmax gate. The chapter's mixture (4 experts 10-16-1) gives 68.
func matchingWidth(experts: Int, expertHidden: Int, inputSize: Int) throws -> Int {
  throw NotDoneYet()
}

/// Exercise 8. The targets are y = x1^2 + ... + x10^2 with x drawn from a standard normal
/// distribution. What MSE does the best constant prediction (the mean) have on infinitely many
/// points? That is the variance of y: a number, worked out by hand.
func targetVariance() throws -> Double {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter05Answers(
  adamSteps: adamSteps, matchingWidth: matchingWidth, targetVariance: targetVariance)
