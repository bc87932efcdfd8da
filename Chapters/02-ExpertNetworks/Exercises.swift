// Chapter 2's exercises that check themselves: 5, 6 and 7 of the lesson's list. Replace each
// `throw NotDoneYet()` by your answer, then run `make check-2`; it prints one line per exercise.
import Chapter02Checks
import Datasets  // SyntheticData.piecewiseTarget, SyntheticData.piecewiseRegime
import Exercises
import Foundation  // tanh

/// Exercise 5. Compute a 1-H-1 expert with tanh hidden units by hand:
///
///     E(x) = sum_j outputWeights[j] * tanh(hiddenWeights[j] * x + hiddenBiases[j]) + outputBias
///
/// (the checker compares it with a `FeedForwardExpert` holding the same weights).
func expertOutput(
  x: Float, hiddenWeights: [Float], hiddenBiases: [Float], outputWeights: [Float], outputBias: Float
) throws -> Float {
  throw NotDoneYet()
}

/// Exercise 6. For inputs `xs` and a model's `predictions` at them, return the mean squared error
/// against the noise-free target (`SyntheticData.piecewiseTarget`) separately in each regime, in the
/// order line, wiggle, parabola (`SyntheticData.piecewiseRegime(x)` is 0, 1 or 2). A regime with no
/// input among `xs` gets 0.
func regimeErrors(xs: [Float], predictions: [Float]) throws -> [Float] {
  throw NotDoneYet()
}

/// Exercise 7. The training targets carry Gaussian noise of standard deviation 0.05. What training
/// MSE does a perfect model (the noise-free target itself) have on average? A number.
func noiseFloor() throws -> Double {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter02Answers(expertOutput: expertOutput, regimeErrors: regimeErrors, noiseFloor: noiseFloor)
