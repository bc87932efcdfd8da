// Typical wrong answers to chapter 11's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter11Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter11Answers>] = [
  WrongAnswer(
    exercise: 6, mistake: "the slide's strict > instead of the gate's >= (a weight equal to tau does not run)",
    answers: replacing(\.expertsRun) { weights, threshold in weights.map { row in row.filter { $0 > threshold }.count }
    },
    expectedMessage: "for weights [[0.6, 0.3, 0.1]] and tau = 0.3 your experts run are [1], expected [2]"),
  WrongAnswer(
    exercise: 7, mistake: "renormalizes ignored (the kept weights always used as they are)",
    answers: replacing(\.thresholdMixtureOutput) { weights, outputs, threshold, _ in
      try thresholdMixtureOutput(weights: weights, expertOutputs: outputs, threshold: threshold, renormalizes: false)
    },
    expectedMessage:
      "for weights [[0.6, 0.3, 0.1]], expert outputs 1, 2 and 4, tau = 0.2 and renormalizes = true your outputs are "
      + "[[1.2]], expected [[1.333]]"),
  WrongAnswer(
    exercise: 7, mistake: "an input that keeps no expert divided by a sum of zero",
    answers: replacing(\.thresholdMixtureOutput) { weights, outputs, threshold, renormalizes in
      weights.enumerated().map { input, row in
        let kept = row.indices.filter { row[$0] >= threshold }
        let total = kept.reduce(Float(0)) { $0 + row[$1] }
        return (0..<outputs[0][0].count).map { column in
          let sum = kept.reduce(Float(0)) { $0 + row[$1] * outputs[$1][input][column] }
          return renormalizes ? sum / total : sum
        }
      }
    },
    expectedMessage:
      "for weights [[0.6, 0.3, 0.1]], expert outputs 1, 2 and 4, tau = 0.7 and renormalizes = true your outputs are "
      + "[[NaN]], expected [[0]]"),
  WrongAnswer(
    exercise: 8, mistake: "the B-th smallest weight instead of the B-th largest",
    answers: replacing(\.thresholdForBudget) { weights, evaluations in
      weights.flatMap { $0 }.sorted(by: <)[evaluations - 1]
    },
    expectedMessage: "is not the largest: the next float above it still runs"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter11Answers, Answer>, by answer: Answer) -> Chapter11Answers {
  var answers = Chapter11Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
