// Typical wrong answers to chapter 7's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter07Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter07Answers>] = [
  WrongAnswer(
    exercise: 6, mistake: "the drop from the diagonal (just after learning) instead of from the best accuracy",
    answers: replacing(\.forgetting) { accuracies in
      -(try backwardTransfer(accuracies: accuracies))
    },
    expectedMessage:
      "for the accuracy matrix [[0.6, 0.1, 0.1], [0.8, 0.7, 0.1], [0.5, 0.6, 0.9]] your forgetting is 0.1, expected 0.2"
  ),
  WrongAnswer(
    exercise: 6, mistake: "the best accuracy taken over every row, the last one included",
    answers: replacing(\.forgetting) { accuracies in
      let last = accuracies.count - 1
      let drops = (0..<last).map { task in accuracies.map { $0[task] }.max()! - accuracies[last][task] }
      return drops.reduce(0, +) / Double(last)
    },
    expectedMessage: "for the accuracy matrix [[0.5, 0.1], [0.7, 0.9]] your forgetting is 0, expected -0.2"),
  WrongAnswer(
    exercise: 7, mistake: "averaged over all T tasks (the last one's difference is 0)",
    answers: replacing(\.backwardTransfer) { accuracies in
      let last = accuracies.count - 1
      return (0...last).map { accuracies[last][$0] - accuracies[$0][$0] }.reduce(0, +) / Double(last + 1)
    },
    expectedMessage: "for the accuracy matrix [[0.9, 0.1], [0.5, 0.8]] your backward transfer is -0.2, expected -0.4"),
  WrongAnswer(
    exercise: 7, mistake: "the sign reversed: the drop, not the change",
    answers: replacing(\.backwardTransfer) { accuracies in -(try backwardTransfer(accuracies: accuracies)) },
    expectedMessage: "for the accuracy matrix [[0.9, 0.1], [0.5, 0.8]] your backward transfer is 0.4, expected -0.4"),
  WrongAnswer(
    exercise: 8, mistake: "the task classifier left out (only the gate's score rows counted)",
    answers: replacing(\.taskGatedParameterCount) { tasks, perTask, inputs, hidden, outputs in
      try taskGatedParameterCount(
        tasks: tasks, expertsPerTask: perTask, inputSize: inputs, hiddenSize: hidden, outputSize: outputs)
        - tasks * (inputs + 1)
    },
    expectedMessage:
      "for 3 tasks of 2 experts 784-32-10 your parameter count is 157410, expected 159765"),
  WrongAnswer(
    exercise: 8, mistake: "the biases left out everywhere",
    answers: replacing(\.taskGatedParameterCount) { tasks, perTask, inputs, hidden, outputs in
      let experts = tasks * perTask
      return experts * (inputs * hidden + hidden * outputs) + experts * inputs + tasks * inputs
    },
    expectedMessage: "your parameter count is 159504, expected 159765"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter07Answers, Answer>, by answer: Answer) -> Chapter07Answers {
  var answers = Chapter07Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
