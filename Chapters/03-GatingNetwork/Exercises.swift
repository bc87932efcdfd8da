// Chapter 3's exercises that check themselves: 1, 5, 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your answer, then run `make check-3`; it prints one line per exercise.
// Write the gates from their formulas with plain arrays (the checker compares them with the
// library's `SoftmaxGate` and `TopKGate`).
import Chapter03Checks
import Exercises
import Foundation  // exp, log

/// Exercise 1. With the chapter's hand-set gate (W = -6, 0, 6) and the middle expert's bias changed
/// from 0 to 1 (biases -2, 1, -2), return the two inputs x in [-1, 1] where the gate's favourite
/// changes, smallest first. Work them out from the scores, then check them on the printed table.
func borders() throws -> [Float] {
  throw NotDoneYet()
}

/// Exercise 5. Return the softmax gate's weights g = softmax(s / T) for each row of `scores`:
/// g_e = exp(s_e / T) / sum_k exp(s_k / T). It must work for scores like [1000, 1001] too.
func softmaxWeights(scores: [[Float]], temperature: Float) throws -> [[Float]] {
  throw NotDoneYet()
}

/// Exercise 6. Return the weights of a top-k gate (Shazeer et al. 2017, without noise) for each row
/// of `logits`: a softmax over the row's k largest logits only, and 0 for the other experts. When
/// logits tie, the lower index is chosen first. With k equal to the number of experts it is the softmax.
func topKWeights(logits: [[Float]], k: Int) throws -> [[Float]] {
  throw NotDoneYet()
}

/// Exercise 7. The entropy H = -sum_e g_e log g_e, in nats, of a gate that gives each of 8 experts
/// the same weight. A number, worked out by hand.
func uniformEntropy() throws -> Double {
  throw NotDoneYet()
}

/// Exercise 8. Add `2` to the chapter's `temperatures`, run `make chapter-3` (the full run, not
/// `--quick`), and return the mean entropy the table prints for T = 2.
func meanEntropyAtTemperatureTwo() throws -> Double {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter03Answers(
  borders: borders, softmaxWeights: softmaxWeights, topKWeights: topKWeights, uniformEntropy: uniformEntropy,
  meanEntropyAtTemperatureTwo: meanEntropyAtTemperatureTwo)
