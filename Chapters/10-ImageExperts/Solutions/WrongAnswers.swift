// Typical wrong answers to chapter 10's exercises; the tests prove the checks reject each one with
// the message below (Tests/ExercisesTests).
import Chapter10Checks
import Exercises

public let wrongAnswers: [WrongAnswer<Chapter10Answers>] = [
  WrongAnswer(
    exercise: 6,
    mistake: "the slide's pairing, [E, B, C] times [B, E, 1] summed over the first axis (it runs when B = E)",
    answers: replacing(\.combineStackedExperts) { gate, outputs in
      // Broadcasting pairs expertOutputs[i][j] with gateWeights[i][j]; the sum runs over i.
      (0..<gate.count).map { j in
        (0..<outputs[0][j].count).map { c in (0..<gate.count).reduce(0) { $0 + outputs[$1][j][c] * gate[$1][j] } }
      }
    },
    expectedMessage:
      "for gate weights [[0.25, 0.75], [1, 0]] and expert outputs [[[1], [2]], [[10], [20]]] your outputs are "
      + "[[10.25], [1.5]], expected [[7.75], [2]]"),
  WrongAnswer(
    exercise: 6, mistake: "the experts averaged, the gate ignored",
    answers: replacing(\.combineStackedExperts) { gate, outputs in
      (0..<gate.count).map { b in
        (0..<outputs[0][b].count).map { c in
          outputs.reduce(0) { $0 + $1[b][c] } / Float(outputs.count)
        }
      }
    },
    expectedMessage: "your outputs are [[5.5], [11]], expected [[7.75], [2]]"),
  WrongAnswer(
    exercise: 6, mistake: "the experts' outputs indexed as [B, E, C] (expertOutputs[b][e]), not as stacked",
    answers: replacing(\.combineStackedExperts) { gate, outputs in
      gate.enumerated().map { b, weights in
        (0..<outputs[0][0].count).map { c in
          weights.indices.reduce(0) { $0 + weights[$1] * outputs[b][$1][c] }
        }
      }
    },
    expectedMessage: "your outputs are [[1.75], [10]], expected [[7.75], [2]]"),
  WrongAnswer(
    exercise: 7, mistake: "the shapes aligned on the left, not on the right",
    answers: replacing(\.broadcastShape) { a, b in
      let rank = max(a.count, b.count)
      let left = a + Array(repeating: 1, count: rank - a.count)
      let right = b + Array(repeating: 1, count: rank - b.count)
      var shape: [Int] = []
      for (x, y) in zip(left, right) {
        if x != y && x != 1 && y != 1 { return nil }
        shape.append(max(x, y))
      }
      return shape
    },
    expectedMessage: "for shapes [10] and [64, 5, 10] your broadcast shape is nil (no broadcast), expected [64, 5, 10]"),
  WrongAnswer(
    exercise: 7, mistake: "the larger size of each pair taken without checking that the sizes are compatible",
    answers: replacing(\.broadcastShape) { a, b in
      let rank = max(a.count, b.count)
      let left = Array(repeating: 1, count: rank - a.count) + a
      let right = Array(repeating: 1, count: rank - b.count) + b
      return zip(left, right).map { max($0, $1) }
    },
    expectedMessage:
      "for shapes [5, 64, 10] and [64, 5, 1] your broadcast shape is [64, 64, 10], expected nil (no broadcast)"),
  WrongAnswer(
    exercise: 8, mistake: "the pooled side 7 / 2 rounded up to 4, not down to 3",
    answers: replacing(\.featureCountWithThirdBlock) { 32 * 4 * 4 },
    expectedMessage:
      "for a third block of 32 channels after the chapter's extractor your feature count is 512, expected 288"),
  WrongAnswer(
    exercise: 8, mistake: "the convolution's channels changed but the pooling forgotten",
    answers: replacing(\.featureCountWithThirdBlock) { 32 * 7 * 7 },
    expectedMessage: "your feature count is 1568, expected 288"),
]

/// The solutions with one answer replaced.
func replacing<Answer>(_ path: WritableKeyPath<Chapter10Answers, Answer>, by answer: Answer) -> Chapter10Answers {
  var answers = Chapter10Solutions.answers
  answers[keyPath: path] = answer
  return answers
}
