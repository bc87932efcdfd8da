// Chapter 14's exercises that check themselves: 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your code, then run `make check-14`; it prints one line per exercise.
// The checker compares with per-row losses it draws, with the routing of `SwitchRouter` and with
// the library's `accuracyByConfidence`: write yours from the rules, without calling them.
import Chapter14Checks
import Exercises

/// Exercise 6. The slide averages the batches' mean losses, `total_loss / len(test_loader)`. Given
/// each batch's mean loss `batchLosses[b]` and its number of inputs `batchSizes[b]`, return the mean
/// loss per input: sum_b n_b L_b / sum_b n_b.
func meanLossPerInput(batchLosses: [Double], batchSizes: [Int]) throws -> Double {
  throw NotDoneYet()
}

/// Exercise 7. A Switch router (Fedus et al. 2021) on gate scores `scores[n][e]` ([N, E]): each token's
/// expert is the one with the largest score (ties go to the lower expert), and each expert computes at
/// most capacity = ceil(capacityFactor * N / E) tokens, served in token order; a token arriving at a
/// full expert is dropped. Return both counts of the lesson: `argmax[e]`, the tokens whose largest
/// score is expert e's (what the slide counts), and `routed[e]`, the tokens expert e computed.
/// Compute the capacity in `Float`, as the library does.
func switchActivations(scores: [[Float]], capacityFactor: Float) throws -> ActivationCounts {
  throw NotDoneYet()
}

/// Exercise 8. Accuracy by gate confidence: `bins` equal bins over [1/E, 1] for a gate of `experts`
/// experts, bin i holding the confidences c with 1/E + i w <= c < 1/E + (i + 1) w, w = (1 - 1/E) /
/// bins; a confidence of exactly 1 belongs to the last bin. For each bin return how many inputs fell
/// in it and how many of those are correct (`correct[n]`).
func confidenceBins(confidences: [Double], correct: [Bool], bins: Int, experts: Int) throws -> [BinTally] {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter14Answers(
  meanLossPerInput: meanLossPerInput, switchActivations: switchActivations, confidenceBins: confidenceBins)
