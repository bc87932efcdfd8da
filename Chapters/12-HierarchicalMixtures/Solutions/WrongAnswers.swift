// Typical wrong answers to chapter 12's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter12Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter12Answers>] = [
  WrongAnswer(
    exercise: 5, mistake: "depth x k leaves (the count of gates for k = 1, read as the count of leaves)",
    answers: replacing(\.evaluationsPerInput) { branching, k in
      let right = try evaluationsPerInput(branching: branching, k: k)
      return TreeEvaluations(leaves: k.reduce(0, +), gates: right.gates)
    },
    expectedMessage:
      "for branching [4, 4, 4] and k [2, 2, 2] your count is 6 leaves and 7 gates, expected 8 leaves and 7 gates"),
  WrongAnswer(
    exercise: 5, mistake: "the top gate left out of the gates",
    answers: replacing(\.evaluationsPerInput) { branching, k in
      let right = try evaluationsPerInput(branching: branching, k: k)
      return TreeEvaluations(leaves: right.leaves, gates: right.gates - 1)
    },
    expectedMessage:
      "for branching [4, 4, 4] and k [2, 2, 2] your count is 8 leaves and 6 gates, expected 8 leaves and 7 gates"),
  WrongAnswer(
    exercise: 5, mistake: "one gate per level (the gates of the chosen branches not multiplied)",
    answers: replacing(\.evaluationsPerInput) { branching, k in
      let right = try evaluationsPerInput(branching: branching, k: k)
      return TreeEvaluations(leaves: right.leaves, gates: branching.count)
    },
    expectedMessage:
      "for branching [4, 4, 4] and k [2, 2, 2] your count is 8 leaves and 3 gates, expected 8 leaves and 7 gates"),
  WrongAnswer(
    exercise: 6, mistake: "the sub-gate's weights alone (the top gate forgotten)",
    answers: replacing(\.leafWeights) { _, groups in groups.flatMap { $0 } },
    expectedMessage:
      "for top gate [0.25, 0.75] and groups [[0.5, 0.5], [0.2, 0.8]] your leaf weights are [0.5, 0.5, 0.2, 0.8], "
      + "expected [0.125, 0.125, 0.15, 0.6]"),
  WrongAnswer(
    exercise: 6, mistake: "the top weight added to the sub-gate's instead of multiplied",
    answers: replacing(\.leafWeights) { top, groups in
      zip(top, groups).flatMap { weight, group in group.map { (weight + $0) / Float(top.count + 1) } }
    },
    expectedMessage:
      "for top gate [0.25, 0.75] and groups [[0.5, 0.5], [0.2, 0.8]] your leaf weights are "
      + "[0.25, 0.25, 0.3167, 0.5167], expected [0.125, 0.125, 0.15, 0.6]"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter12Answers, Answer>, by answer: Answer) -> Chapter12Answers {
  var answers = Chapter12Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
