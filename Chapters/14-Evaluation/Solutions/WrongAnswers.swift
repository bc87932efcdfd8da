// Typical wrong answers to chapter 14's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter14Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter14Answers>] = [
  WrongAnswer(
    exercise: 6, mistake: "the mean of the batch means (the slide's total_loss / len(test_loader))",
    answers: replacing(\.meanLossPerInput) { losses, _ in losses.reduce(0, +) / Double(losses.count) },
    expectedMessage: "your mean per input is 0.3375, expected 0.1126"),
  WrongAnswer(
    exercise: 7, mistake: "dropped tokens counted as routed (capacity ignored)",
    answers: replacing(\.switchActivations) { scores, _ in
      try switchActivations(scores: scores, capacityFactor: Float(scores.count))
    },
    expectedMessage:
      "for scores [[2, 0], [3, 1], [1, 0], [5, 2]] and capacity factor 1 your counts are arg-max [4, 0], "
      + "routed [4, 0], expected arg-max [4, 0], routed [2, 0]"),
  WrongAnswer(
    exercise: 7, mistake: "capacity rounded down instead of up",
    answers: replacing(\.switchActivations) { scores, factor in
      let experts = scores[0].count
      let capacity = Int(factor * Float(scores.count) / Float(experts))
      var argmax = [Int](repeating: 0, count: experts)
      var routed = argmax
      for row in scores {
        let expert = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!
        argmax[expert] += 1
        if routed[expert] < capacity { routed[expert] += 1 }
      }
      return ActivationCounts(argmax: argmax, routed: routed)
    },
    expectedMessage:
      "for scores [[1, 0, 0], [1, 0, 0], [1, 0, 0], [0, 1, 0]] and capacity factor 0.5 your counts are "
      + "arg-max [3, 1, 0], routed [0, 0, 0], expected arg-max [3, 1, 0], routed [1, 1, 0]"),
  WrongAnswer(
    exercise: 8, mistake: "bins over [0, 1] instead of [1/E, 1]",
    answers: replacing(\.confidenceBins) { confidences, correct, bins, _ in
      var tallies = [BinTally](repeating: BinTally(count: 0, correct: 0), count: bins)
      for (confidence, isCorrect) in zip(confidences, correct) {
        let bin = min(bins - 1, Int(confidence * Double(bins)))
        tallies[bin].count += 1
        if isCorrect { tallies[bin].correct += 1 }
      }
      return tallies
    },
    expectedMessage: "3 bins and 4 experts your bins (correct/inputs) are [0/1, 2/2, 2/3], expected [1/2, 1/1, 2/3]"),
  WrongAnswer(
    exercise: 8, mistake: "a confidence of exactly 1 left out of the last bin",
    answers: replacing(\.confidenceBins) { confidences, correct, bins, experts in
      let kept = zip(confidences, correct).filter { $0.0 < 1 }
      return try confidenceBins(
        confidences: kept.map(\.0), correct: kept.map(\.1), bins: bins, experts: experts)
    },
    expectedMessage: "your bins (correct/inputs) are [1/2, 1/1, 1/2], expected [1/2, 1/1, 2/3]"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter14Answers, Answer>, by answer: Answer) -> Chapter14Answers {
  var answers = Chapter14Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
