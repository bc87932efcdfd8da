// Typical wrong answers to chapter 4's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter04Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter04Answers>] = [
  WrongAnswer(
    exercise: 5, mistake: "one interval per expert, from its first to its last win (two stretches merged)",
    answers: replacing(\.winnerIntervals) { xs, winners in
      var seen: [Int] = []
      for winner in winners where !seen.contains(winner) { seen.append(winner) }
      return seen.map { e in
        WinnerInterval(
          expert: e, from: xs[winners.firstIndex(of: e)!], to: xs[winners.lastIndex(of: e)!])
      }
    },
    expectedMessage:
      "for xs [-1, -0.5, 0, 0.5, 1] and winners [0, 1, 1, 0, 0] your intervals are [expert 0 on [-1, 1], expert 1 on [-0.5, 0]]"
  ),
  WrongAnswer(
    exercise: 6, mistake: "the gate's parameters left out of the mixture's count",
    answers: replacing(\.singleExpertWidth) { 25 },
    expectedMessage: "your width 25 gives a 1-25-1 expert with 76 parameters, expected 82"),
  WrongAnswer(
    exercise: 7, mistake: "the mixture's error of the unchanged run (T = 0.1)",
    answers: replacing(\.mixtureErrorAtTemperatureOne) { 0.0602 },
    expectedMessage: "your MSE on [-1, 1] is 0.0602, expected 0.06608"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter04Answers, Answer>, by answer: Answer) -> Chapter04Answers {
  var answers = Chapter04Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
