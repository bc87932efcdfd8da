// Typical wrong answers to chapter 5's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter05Checks
import Exercises
import Foundation

public let wrongAnswers: [WrongAnswer<Chapter05Answers>] = [
  WrongAnswer(
    exercise: 6, mistake: "no bias correction: the first step is (1 - beta1) / sqrt(1 - beta2) = 3.16 times too large",
    answers: replacing(\.adamSteps) { start, gradients, rate in
      var (p, m, v) = (start, [Float](repeating: 0, count: start.count), [Float](repeating: 0, count: start.count))
      for g in gradients {
        for i in p.indices {
          m[i] = 0.9 * m[i] + 0.1 * g[i]
          v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i]
          p[i] -= rate * m[i] / (v[i].squareRoot() + 1e-8)
        }
      }
      return p
    },
    expectedMessage:
      "from [1] with gradients [[0.5]] and learning rate 0.1 your parameters are [0.6838], expected [0.9]"),
  WrongAnswer(
    exercise: 6, mistake: "plain gradient descent, p = p - learningRate g",
    answers: replacing(\.adamSteps) { start, gradients, rate in
      gradients.reduce(start) { p, g in zip(p, g).map { $0 - rate * $1 } }
    },
    expectedMessage: "your parameters are [0.95], expected [0.9]"),
  WrongAnswer(
    exercise: 7, mistake: "the gate left out of the mixture's parameters",
    answers: replacing(\.matchingWidth) { experts, hidden, inputs in
      let mixture = experts * (inputs * hidden + 2 * hidden + 1)
      return (mixture - 1 + inputs + 1) / (inputs + 2)
    },
    expectedMessage: "for 4 experts 10-16-1 and a softmax gate (816 parameters) your width is 65, expected 68"),
  WrongAnswer(
    exercise: 8, mistake: "the mean of the target (10), not its variance",
    answers: replacing(\.targetVariance) { 10 }, expectedMessage: "your MSE is 10, expected 20"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter05Answers, Answer>, by answer: Answer) -> Chapter05Answers {
  var answers = Chapter05Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
