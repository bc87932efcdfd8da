// Typical wrong answers to chapter 6's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter06Checks
import Exercises
import Foundation

public let wrongAnswers: [WrongAnswer<Chapter06Answers>] = [
  WrongAnswer(
    exercise: 5, mistake: "shares only for the experts that win somewhere (an idle expert is left out)",
    answers: replacing(\.planeShares) { winners, _ in
      let experts = Set(winners).sorted()
      return experts.map { e in Double(winners.filter { $0 == e }.count) / Double(winners.count) }
    },
    expectedMessage:
      "for winners [0, 1, 1, 3] and 4 experts your shares are [0.25, 0.5, 0.25], expected [0.25, 0.5, 0, 0.25]"
  ),
  WrongAnswer(
    exercise: 6, mistake: "the mutual information not divided by the quadrant's entropy",
    answers: replacing(\.specializationScore) { matrix in
      try specializationScore(matrix: matrix) * entropyOfRows(matrix)
    },
    expectedMessage: "for the matrix [[5, 0], [0, 5]] your score is 0.6931, expected 1"),
  WrongAnswer(
    exercise: 7, mistake: "the coefficient of variation (standard deviation / mean), not its square",
    answers: replacing(\.importanceLoss) { probabilities in
      try importanceLoss(probabilities: probabilities).squareRoot()
    },
    expectedMessage: "for gate probabilities [[1, 0, 0], [1, 0, 0]] your importance loss is 1.414, expected 2"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter06Answers, Answer>, by answer: Answer) -> Chapter06Answers {
  var answers = Chapter06Solutions.answers
  answers[keyPath: path] = answer
  return answers
}

/// H(Q) in nats of a count matrix's row totals.
func entropyOfRows(_ matrix: [[Int]]) -> Double {
  let totals = matrix.map { Double($0.reduce(0, +)) }
  let total = totals.reduce(0, +)
  return -totals.reduce(0) { $0 + ($1 > 0 ? $1 / total * log($1 / total) : 0) }
}
