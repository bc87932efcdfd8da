// Typical wrong answers to chapter 1's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter01Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter01Answers>] = [
  WrongAnswer(
    exercise: 5, mistake: "the gate's columns in the wrong order (expert 1's weight on expert 2's output)",
    answers: replacing(\.combine) { weights, outputs in
      try combine(gateWeights: weights.map { Array($0.reversed()) }, expertOutputs: outputs)
    },
    expectedMessage:
      "for gate weights [[0.25, 0.75]] and expert outputs [[[4]], [[8]]] your outputs are [[5]], expected [[7]]"),
  WrongAnswer(
    exercise: 5, mistake: "the experts' outputs averaged, the gate ignored",
    answers: replacing(\.combine) { weights, outputs in
      try combine(gateWeights: weights.map { row in row.map { _ in 1 / Float(row.count) } }, expertOutputs: outputs)
    },
    expectedMessage: "your outputs are [[6]], expected [[7]]"),
  WrongAnswer(
    exercise: 6, mistake: "the gate's biases forgotten",
    answers: replacing(\.mixtureParameterCount) { experts, inputs, hidden, outputs in
      try mixtureParameterCount(experts: experts, inputSize: inputs, hiddenSize: hidden, outputSize: outputs) - experts
    },
    expectedMessage: "for 3 experts 10-20-5 and a softmax gate your count is 1005, expected 1008"),
  WrongAnswer(
    exercise: 7, mistake: "the validation MSE of the unchanged run with four experts",
    answers: replacing(\.twoExpertValidationMSE) { 0.1730 },
    expectedMessage: "your final validation MSE is 0.173, expected 0.1492"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter01Answers, Answer>, by answer: Answer) -> Chapter01Answers {
  var answers = Chapter01Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
