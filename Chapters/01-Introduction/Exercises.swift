// Chapter 1's exercises that check themselves: 5, 6 and 7 of the lesson's list. Replace each
// `throw NotDoneYet()` by your answer, then run `make check-1`; it prints one line per exercise.
import Chapter01Checks
import Exercises

/// Exercise 5. Combine the experts as the mixture does: `gateWeights[n][e]` is g_e(x_n), the gate's
/// weight of expert e for input n, and `expertOutputs[e][n]` is E_e(x_n), expert e's output row for
/// input n. Return y_n = sum_e g_e(x_n) E_e(x_n) for every input n (one row per input).
func combine(gateWeights: [[Float]], expertOutputs: [[[Float]]]) throws -> [[Float]] {
  throw NotDoneYet()
}

/// Exercise 6. Return the number of parameters (weights and biases) of a mixture of `experts`
/// experts `inputSize`-`hiddenSize`-`outputSize` (two linear layers each) and a softmax gate from
/// the `inputSize` inputs to one score per expert. Chapter 1's mixture (3 experts 10-20-5) has 1008.
func mixtureParameterCount(experts: Int, inputSize: Int, hiddenSize: Int, outputSize: Int) throws -> Int {
  throw NotDoneYet()
}

/// Exercise 7. Give the 2-D mixture two experts instead of four (`count: 2` in `planeExperts` and
/// `expertCount: 2` in `planeGate`), run `make chapter-1 ARGS="--quick"`, and return the validation
/// MSE of the last epoch it prints.
func twoExpertValidationMSE() throws -> Double {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter01Answers(
  combine: combine, mixtureParameterCount: mixtureParameterCount, twoExpertValidationMSE: twoExpertValidationMSE)
