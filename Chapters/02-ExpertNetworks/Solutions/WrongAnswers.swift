// Typical wrong answers to chapter 2's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter02Checks
import Datasets
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter02Answers>] = [
  WrongAnswer(
    exercise: 5, mistake: "the output bias forgotten",
    answers: replacing(\.expertOutput) { x, w, b, v, c in
      try expertOutput(x: x, hiddenWeights: w, hiddenBiases: b, outputWeights: v, outputBias: 0)
    },
    expectedMessage: "for x = -1, hidden weights"),
  WrongAnswer(
    exercise: 5, mistake: "ReLU instead of tanh in the hidden layer",
    answers: replacing(\.expertOutput) { x, w, b, v, c in
      w.indices.reduce(c) { $0 + v[$1] * max(0, w[$1] * x + b[$1]) }
    },
    expectedMessage: "your output is"),
  WrongAnswer(
    exercise: 6, mistake: "each regime's squared errors divided by the number of all points",
    answers: replacing(\.regimeErrors) { xs, predictions in
      let perRegime = try regimeErrors(xs: xs, predictions: predictions)
      let counts = (0..<3).map { r in Float(xs.filter { SyntheticData.piecewiseRegime($0) == r }.count) }
      return (0..<3).map { perRegime[$0] * counts[$0] / Float(xs.count) }
    },
    expectedMessage: "for xs [-0.5, 0, 0.5] and predictions [0, 0, 0] your errors are"),
  WrongAnswer(
    exercise: 7, mistake: "the noise's standard deviation, not its variance",
    answers: replacing(\.noiseFloor) { 0.05 }, expectedMessage: "your expected MSE is 0.05, expected 0.0025"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter02Answers, Answer>, by answer: Answer) -> Chapter02Answers {
  var answers = Chapter02Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
