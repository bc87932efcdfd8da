// The teacher's answers to chapter 14's checked exercises (`make check-14 SOLUTIONS=1`).
import Chapter14Checks

func meanLossPerInput(batchLosses: [Double], batchSizes: [Int]) throws -> Double {
  zip(batchLosses, batchSizes).reduce(0) { $0 + $1.0 * Double($1.1) } / Double(batchSizes.reduce(0, +))
}

func switchActivations(scores: [[Float]], capacityFactor: Float) throws -> ActivationCounts {
  let experts = scores[0].count
  let capacity = Int((capacityFactor * Float(scores.count) / Float(experts)).rounded(.up))
  var argmax = [Int](repeating: 0, count: experts)
  var routed = argmax
  for row in scores {
    // The first of the largest: ties go to the lower expert.
    let expert = row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }!
    argmax[expert] += 1
    if routed[expert] < capacity { routed[expert] += 1 }
  }
  return ActivationCounts(argmax: argmax, routed: routed)
}

func confidenceBins(confidences: [Double], correct: [Bool], bins: Int, experts: Int) throws -> [BinTally] {
  let lower = 1 / Double(experts)
  var tallies = [BinTally](repeating: BinTally(count: 0, correct: 0), count: bins)
  for (confidence, isCorrect) in zip(confidences, correct) {
    let position = (confidence - lower) / (1 - lower) * Double(bins)
    let bin = min(bins - 1, max(0, Int(position.rounded(.down))))
    tallies[bin].count += 1
    if isCorrect { tallies[bin].correct += 1 }
  }
  return tallies
}

public let answers = Chapter14Answers(
  meanLossPerInput: meanLossPerInput, switchActivations: switchActivations, confidenceBins: confidenceBins)
