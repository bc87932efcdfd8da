// The teacher's answers to chapter 3's checked exercises (`make check-3 SOLUTIONS=1`).
import Chapter03Checks
import Foundation

// s_1 = -6x - 2 meets s_2 = 1 at x = -1/2; s_3 = 6x - 2 meets it at x = 1/2.
func borders() throws -> [Float] { [-0.5, 0.5] }

func softmaxWeights(scores: [[Float]], temperature: Float) throws -> [[Float]] {
  scores.map { row in
    let largest = row.max()!  // subtracting it keeps exp from overflowing; the weights do not change
    let exponentials = row.map { exp(($0 - largest) / temperature) }
    let total = exponentials.reduce(0, +)
    return exponentials.map { $0 / total }
  }
}

func topKWeights(logits: [[Float]], k: Int) throws -> [[Float]] {
  logits.map { row in
    // A stable sort by decreasing logit keeps the lower index first among ties.
    let chosen = row.indices.sorted { row[$0] > row[$1] || (row[$0] == row[$1] && $0 < $1) }.prefix(k)
    let largest = row[chosen.first!]
    let total = chosen.reduce(Float(0)) { $0 + exp(row[$1] - largest) }
    var weights = [Float](repeating: 0, count: row.count)
    for index in chosen { weights[index] = exp(row[index] - largest) / total }
    return weights
  }
}

// -8 * (1/8) log(1/8) = log 8.
func uniformEntropy() throws -> Double { log(8) }

// The full run's table row for T = 2 (2001 grid points).
func meanEntropyAtTemperatureTwo() throws -> Double { 0.7423 }

public let answers = Chapter03Answers(
  borders: borders, softmaxWeights: softmaxWeights, topKWeights: topKWeights, uniformEntropy: uniformEntropy,
  meanEntropyAtTemperatureTwo: meanEntropyAtTemperatureTwo)
