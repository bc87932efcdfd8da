// Typical wrong answers to chapter 13's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter13Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter13Answers>] = [
  WrongAnswer(
    exercise: 6, mistake: "f divided by N instead of N k (Hugging Face's Mixtral convention: k at balance)",
    answers: replacing(\.switchLoss) { probabilities, chosen in
      try switchLoss(probabilities: probabilities, chosen: chosen) * Float(chosen[0].count)
    },
    expectedMessage:
      "for probabilities [[0.7, 0.2, 0.1], [0.1, 0.6, 0.3]] and chosen experts [[0, 1], [1, 2]] your Switch loss "
      + "is 2.1, expected 1.05"),
  WrongAnswer(
    exercise: 6, mistake: "f counts only each token's most probable expert",
    answers: replacing(\.switchLoss) { probabilities, _ in
      try switchLoss(
        probabilities: probabilities,
        chosen: probabilities.map { row in [row.indices.max { row[$0] < row[$1] }!] })
    },
    expectedMessage: "your Switch loss is 1.2, expected 1.05"),
  WrongAnswer(
    exercise: 7, mistake: "a subgradient step w - t sign(w), which steps across zero",
    answers: replacing(\.softThreshold) { weights, threshold in
      weights.map { $0 - threshold * ($0 > 0 ? 1 : ($0 < 0 ? -1 : 0)) }
    },
    expectedMessage:
      "for weights [0.5, -0.3, 0.05, -0.02, 0] and threshold t = 0.1 your weights are [0.4, -0.2, -0.05, 0.08, 0], "
      + "expected [0.4, -0.2, 0, 0, 0]"),
  WrongAnswer(
    exercise: 7, mistake: "max(w - t, 0): negative weights all set to zero",
    answers: replacing(\.softThreshold) { weights, threshold in weights.map { max($0 - threshold, 0) } },
    expectedMessage: "your weights are [0.4, 0, 0, 0, 0], expected [0.4, -0.2, 0, 0, 0]"),
  WrongAnswer(
    exercise: 8, mistake: "the bias moved by gamma times the gap, not its sign",
    answers: replacing(\.updatedBias) { bias, load, gamma in
      let mean = Float(load.reduce(0, +)) / Float(load.count)
      return zip(bias, load).map { $0 + gamma * (mean - Float($1)) }
    },
    expectedMessage:
      "for bias [0, 0, 0, 0], load [5, 1, 3, 3] and gamma = 0.1 your new bias values are [-0.2, 0.2, 0, 0], "
      + "expected [-0.1, 0.1, 0, 0]"),
  WrongAnswer(
    exercise: 8, mistake: "the sign reversed: overloaded experts made easier to choose",
    answers: replacing(\.updatedBias) { bias, load, gamma in
      try updatedBias(bias: bias, load: load, gamma: -gamma)
    },
    expectedMessage: "your new bias values are [0.1, -0.1, 0, 0], expected [-0.1, 0.1, 0, 0]"),
  WrongAnswer(
    exercise: 8, mistake: "an expert at the mean load counted as underloaded (sign(0) taken as +1)",
    answers: replacing(\.updatedBias) { bias, load, gamma in
      let mean = Float(load.reduce(0, +)) / Float(load.count)
      return zip(bias, load).map { $0 + (Float($1) <= mean ? gamma : -gamma) }
    },
    expectedMessage: "your new bias values are [-0.1, 0.1, 0.1, 0.1], expected [-0.1, 0.1, 0, 0]"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter13Answers, Answer>, by answer: Answer) -> Chapter13Answers {
  var answers = Chapter13Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
