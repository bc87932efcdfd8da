// Typical wrong answers to chapter 3's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter03Checks
import Exercises
import Foundation

public let wrongAnswers: [WrongAnswer<Chapter03Answers>] = [
  WrongAnswer(
    exercise: 1, mistake: "the borders of the original gate: the new bias was not used",
    answers: replacing(\.borders) { [-1.0 / 3, 1.0 / 3] },
    expectedMessage: "for biases [-2, 1, -2] your borders are [-0.3333, 0.3333], expected [-0.5, 0.5]"),
  WrongAnswer(
    exercise: 5, mistake: "exp of the raw scores: overflows to inf / inf = NaN for large scores",
    answers: replacing(\.softmaxWeights) { scores, temperature in
      scores.map { row in
        let exponentials = row.map { exp($0 / temperature) }
        let total = exponentials.reduce(0, +)
        return exponentials.map { $0 / total }
      }
    },
    expectedMessage: "for scores [[1000, 1001]] and T = 1 your weights are [[NaN, NaN]], expected [[0.2689, 0.7311]]"),
  WrongAnswer(
    exercise: 5, mistake: "the scores multiplied by T instead of divided",
    answers: replacing(\.softmaxWeights) { scores, temperature in
      try softmaxWeights(scores: scores.map { $0.map { $0 * temperature * temperature } }, temperature: temperature)
    },
    expectedMessage:
      "for scores [[-6, 0, 6]] and T = 4 your weights are [[1.425e-21, 3.775e-11, 1]], expected [[0.03911, 0.1753, 0.7856]]"
  ),
  WrongAnswer(
    exercise: 6, mistake: "equal weights 1/k for the chosen experts",
    answers: replacing(\.topKWeights) { logits, k in
      try topKWeights(logits: logits, k: k).map { $0.map { $0 > 0 ? 1 / Float(k) : 0 } }
    },
    expectedMessage: "for logits [[1, 2, 3]] and k = 2 your weights are [[0, 0.5, 0.5]], expected [[0, 0.2689, 0.7311]]"
  ),
  WrongAnswer(
    exercise: 6, mistake: "the dense softmax with the other experts zeroed, not renormalized",
    answers: replacing(\.topKWeights) { logits, k in
      let dense = try softmaxWeights(scores: logits, temperature: 1)
      let chosen = try topKWeights(logits: logits, k: k)
      return zip(dense, chosen).map { zip($0, $1).map { $1 > 0 ? $0 : 0 } }
    },
    expectedMessage: "your weights are [[0, 0.2447, 0.6652]], expected [[0, 0.2689, 0.7311]]"),
  WrongAnswer(
    exercise: 7, mistake: "the entropy in bits (log base 2) instead of nats",
    answers: replacing(\.uniformEntropy) { 3 }, expectedMessage: "your entropy is 3, expected 2.079"),
  WrongAnswer(
    exercise: 8, mistake: "the row for T = 1 instead of T = 2",
    answers: replacing(\.meanEntropyAtTemperatureTwo) { 0.4981 },
    expectedMessage: "your mean entropy is 0.4981, expected 0.7423"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter03Answers, Answer>, by answer: Answer) -> Chapter03Answers {
  var answers = Chapter03Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
