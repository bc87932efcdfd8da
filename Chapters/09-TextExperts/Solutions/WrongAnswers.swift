// Typical wrong answers to chapter 9's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter09Checks
import Exercises
import Foundation

public let wrongAnswers: [WrongAnswer<Chapter09Answers>] = [
  WrongAnswer(
    exercise: 6, mistake: "the slide's mean over every position, padding included",
    answers: replacing(\.meanOfValidSteps) { sequences, _ in
      try meanOfValidSteps(sequences: sequences, lengths: sequences.map(\.count))
    },
    expectedMessage:
      "for sequences [[[1, 2], [3, 4], [0, 0]]] and lengths [2] your means are [[1.333, 2]], expected [[2, 3]]"),
  WrongAnswer(
    exercise: 6, mistake: "the sum of the valid steps, not their mean",
    answers: replacing(\.meanOfValidSteps) { sequences, lengths in
      try zip(meanOfValidSteps(sequences: sequences, lengths: lengths), lengths).map { row, length in
        row.map { $0 * Float(length) }
      }
    },
    expectedMessage: "your means are [[4, 6]], expected [[2, 3]]"),
  WrongAnswer(
    exercise: 7, mistake: "one bias vector per gate, as in the textbook formula, not PyTorch's two",
    answers: replacing(\.lstmParameterCount) { inputSize, hiddenSize in
      4 * hiddenSize * (inputSize + hiddenSize + 1)
    },
    expectedMessage: "for inputSize 16 and hiddenSize 16 your parameter count is 2112, expected 2176"),
  WrongAnswer(
    exercise: 7, mistake: "a single gate's parameters, not the four gates'",
    answers: replacing(\.lstmParameterCount) { inputSize, hiddenSize in
      hiddenSize * (inputSize + hiddenSize + 2)
    },
    expectedMessage: "your parameter count is 544, expected 2176"),
  WrongAnswer(
    exercise: 8, mistake: "log C, the loss of a uniform prediction",
    answers: replacing(\.sentimentLossFloor) { log(2) },
    expectedMessage: "for C = 2 classes your lowest cross-entropy is 0.6931, expected 0.3133"),
  WrongAnswer(
    exercise: 8, mistake: "the chapter's floor for the 4 languages, not for 2 classes",
    answers: replacing(\.sentimentLossFloor) { log(1 + 3 / exp(1.0)) },
    expectedMessage: "your lowest cross-entropy is 0.7437, expected 0.3133"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter09Answers, Answer>, by answer: Answer) -> Chapter09Answers {
  var answers = Chapter09Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
