// The teacher's answers to chapter 11's checked exercises (`make check-11 SOLUTIONS=1`).
import Chapter11Checks

func expertsRun(weights: [[Float]], threshold: Float) throws -> [Int] {
  weights.map { row in row.filter { $0 >= threshold }.count }
}

func thresholdMixtureOutput(
  weights: [[Float]], expertOutputs: [[[Float]]], threshold: Float, renormalizes: Bool
) throws -> [[Float]] {
  let width = expertOutputs[0][0].count
  return weights.enumerated().map { input, row in
    let kept = row.indices.filter { row[$0] >= threshold }
    let total = kept.reduce(Float(0)) { $0 + row[$1] }
    var output = [Float](repeating: 0, count: width)
    for expert in kept {
      let weight = renormalizes ? row[expert] / total : row[expert]
      for column in 0..<width { output[column] += weight * expertOutputs[expert][input][column] }
    }
    return output
  }
}

func thresholdForBudget(weights: [[Float]], evaluations: Int) throws -> Float {
  // The B-th largest weight: tau at it keeps the B largest pairs (and any tied with the last), and
  // any larger tau drops that pair.
  weights.flatMap { $0 }.sorted(by: >)[evaluations - 1]
}

public let answers = Chapter11Answers(
  expertsRun: expertsRun, thresholdMixtureOutput: thresholdMixtureOutput, thresholdForBudget: thresholdForBudget)
