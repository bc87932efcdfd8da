// Chapter 11's exercises that check themselves: 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your code, then run `make check-11`; it prints one line per exercise.
// The checker compares with the library (`ThresholdGate`, its combine weights, its evaluations):
// write yours from the rules, without calling them.
import Chapter11Checks
import Exercises

/// Exercise 6. `weights[n][e]` is the gate weight g_e(x_n) of expert e for input n ([N, E], each row
/// adds up to 1). A threshold gate runs expert e on input n where g_e(x_n) >= threshold. Return, for
/// each input, the number of experts that run.
func expertsRun(weights: [[Float]], threshold: Float) throws -> [Int] {
  throw NotDoneYet()
}

/// Exercise 7. The threshold mixture's output: y_n = sum over the experts e with g_e(x_n) >= threshold
/// of w_e(x_n) E_e(x_n), where `expertOutputs[e][n]` is the output row E_e(x_n) of expert e for input
/// n. Without `renormalizes`, w_e = g_e; with it, w_e = g_e divided by the sum of the kept weights of
/// input n. An input that keeps no expert gets a row of zeros.
func thresholdMixtureOutput(
  weights: [[Float]], expertOutputs: [[[Float]]], threshold: Float, renormalizes: Bool
) throws -> [[Float]] {
  throw NotDoneYet()
}

/// Exercise 8. A budget of `evaluations` (input, expert) pairs, between 1 and N E: return the largest
/// threshold tau (the gate's rule: a pair runs where its weight is >= tau) that still runs at least
/// `evaluations` pairs of this batch.
func thresholdForBudget(weights: [[Float]], evaluations: Int) throws -> Float {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter11Answers(
  expertsRun: expertsRun, thresholdMixtureOutput: thresholdMixtureOutput, thresholdForBudget: thresholdForBudget)
