// Chapter 9's exercises that check themselves: 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your answer, then run `make check-9`; it prints one line per exercise.
// Write them with plain arrays and the formulas of the lesson (the checker compares them with the
// lesson's masked mean, the library's `LSTMExpert` and its `crossEntropy`).
import Chapter09Checks
import Exercises
import Foundation  // exp, log

/// Exercise 6. `sequences[b][t]` is the embedding (D numbers) of step t of sequence b in a padded
/// batch [B, T, D]; only its first `lengths[b]` steps are tokens, the rest is padding. Return the
/// gate's input of the fixed `TextMixture`: for each sequence, the mean of its first `lengths[b]`
/// steps, D numbers per sequence. (The slide's `embedded.mean(dim=1)` divides by T instead.)
func meanOfValidSteps(sequences: [[[Float]]], lengths: [Int]) throws -> [[Float]] {
  throw NotDoneYet()
}

/// Exercise 7. Return the number of parameters of one LSTM layer reading `inputSize` numbers per
/// step with `hiddenSize` hidden units, as PyTorch's `nn.LSTM` and the library's `LSTMExpert` have
/// them: the four gates i, f, g, o each with input weights, hidden-state weights and two bias
/// vectors (`bias_ih` and `bias_hh`).
func lstmParameterCount(inputSize: Int, hiddenSize: Int) throws -> Int {
  throw NotDoneYet()
}

/// Exercise 8. The sentiment model has C = 2 classes. If it returned probabilities (the slide's
/// softmax) and the cross-entropy applied its own log-softmax to them, what is the lowest loss it
/// could reach, for a perfect prediction (probability 1 for the right class)? A number, in nats,
/// worked out by hand.
func sentimentLossFloor() throws -> Double {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter09Answers(
  meanOfValidSteps: meanOfValidSteps, lstmParameterCount: lstmParameterCount, sentimentLossFloor: sentimentLossFloor)
