// Typical wrong answers to chapter 8's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter08Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter08Answers>] = [
  WrongAnswer(
    exercise: 6, mistake: "ties go to the higher expert index",
    answers: replacing(\.tokenChoice) { scores, k in
      let flipped = try tokenChoice(scores: scores.map { $0.reversed() }, k: k)
      return RoutingCounts(
        load: flipped.load.reversed(), tokensWithNoExpert: flipped.tokensWithNoExpert,
        tokensWithSeveralExperts: flipped.tokensWithSeveralExperts)
    },
    expectedMessage:
      "for scores [[0.5, 0.5, 0], [0.2, 0.2, 0.2]] and k = 1 your token choice gives load [0, 1, 1], 0 with no expert, "
      + "0 with several, expected load [2, 0, 0], 0 with no expert, 0 with several"),
  WrongAnswer(
    exercise: 7, mistake: "each token picks `capacity` experts (the rows read instead of the columns)",
    answers: replacing(\.expertChoice) { scores, capacity in
      try tokenChoice(scores: scores, k: min(capacity, scores[0].count))
    },
    expectedMessage:
      "for scores [[0.9, 0.8], [0.7, 0.6], [0.1, 0.2]] and capacity C = 1 your expert choice gives load [2, 1], "
      + "0 with no expert, 0 with several, expected load [1, 1], 2 with no expert, 1 with several"),
  WrongAnswer(
    exercise: 7, mistake: "ties go to the last token",
    answers: replacing(\.expertChoice) { scores, capacity in
      try expertChoice(scores: scores.reversed(), capacity: capacity)
    },
    expectedMessage:
      "for scores [[0.5, 0.9], [0.5, 0.1]] and capacity C = 1 your expert choice gives load [1, 1], 0 with no expert, "
      + "0 with several, expected load [1, 1], 1 with no expert, 1 with several"),
  WrongAnswer(
    exercise: 8, mistake: "the gate left out (only the k experts counted)",
    answers: replacing(\.sparseMultiplyAdds) { _, k, inputs, hidden, outputs in
      k * (inputs * hidden + hidden * outputs)
    },
    expectedMessage: "for E = 64, k = 2 and experts 64-32-10 your multiply-adds are 4736, expected 8832"),
  WrongAnswer(
    exercise: 8, mistake: "every expert counted (dense dispatch)",
    answers: replacing(\.sparseMultiplyAdds) { experts, _, inputs, hidden, outputs in
      inputs * experts + experts * (inputs * hidden + hidden * outputs)
    },
    expectedMessage: "your multiply-adds are 155648, expected 8832"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter08Answers, Answer>, by answer: Answer) -> Chapter08Answers {
  var answers = Chapter08Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
