// Chapter 13's exercises that check themselves: 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your code, then run `make check-13`; it prints one line per exercise.
// The checker compares with the library (`loadBalancingLoss`, `BiasBalancedTopKGate`) and with the
// soft threshold's formula: write yours from the rules, without calling them.
import Chapter13Checks
import Exercises

/// Exercise 6. The Switch load-balancing loss (Fedus et al. 2021) for a top-k router, counting every
/// chosen pair: `probabilities[n][e]` is the router's probability of expert e for token n ([N, E],
/// rows summing to 1) and `chosen[n]` the k experts token n was sent to. Return
/// L = E * sum_i f_i * P_i, with P_i the mean over the tokens of probabilities[n][i] and f_i the
/// number of (token, expert) pairs that go to expert i divided by N k.
func switchLoss(probabilities: [[Float]], chosen: [[Int]]) throws -> Float {
  throw NotDoneYet()
}

/// Exercise 7. The proximal step of the L1 penalty (soft-thresholding): replace each weight w by
/// sign(w) * max(|w| - t, 0), with t = `threshold` (the learning rate times lambda). A weight with
/// |w| <= t must end exactly at 0.
func softThreshold(weights: [Float], threshold: Float) throws -> [Float] {
  throw NotDoneYet()
}

/// Exercise 8. One step of auxiliary-loss-free balancing (Wang et al. 2024; DeepSeek-V3): given the
/// selection bias b of each expert, the tokens each expert got in the last step (`load`) and the step
/// gamma, return b_e + gamma * sign(mean load - load_e) for every expert e (sign(0) = 0).
func updatedBias(bias: [Float], load: [Int], gamma: Float) throws -> [Float] {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter13Answers(switchLoss: switchLoss, softThreshold: softThreshold, updatedBias: updatedBias)
