// The teacher's answers to chapter 6's checked exercises (`make check-6 SOLUTIONS=1`).
import Chapter06Checks
import Foundation  // log

func planeShares(winners: [Int], expertCount: Int) throws -> [Double] {
  var counts = [Int](repeating: 0, count: expertCount)
  for winner in winners { counts[winner] += 1 }
  return counts.map { Double($0) / Double(winners.count) }
}

func specializationScore(matrix: [[Int]]) throws -> Double {
  let total = Double(matrix.joined().reduce(0, +))
  guard total > 0, let experts = matrix.first?.count else { return 0 }
  let quadrant = matrix.map { Double($0.reduce(0, +)) / total }
  let expert = (0..<experts).map { e in Double(matrix.reduce(0) { $0 + $1[e] }) / total }
  var information = 0.0
  for q in matrix.indices {
    for e in 0..<experts where matrix[q][e] > 0 {
      let joint = Double(matrix[q][e]) / total
      information += joint * log(joint / (quadrant[q] * expert[e]))
    }
  }
  let entropy = -quadrant.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
  return entropy > 0 ? min(1, max(0, information / entropy)) : 0
}

func importanceLoss(probabilities: [[Float]]) throws -> Float {
  let experts = probabilities[0].count
  let importance = (0..<experts).map { e in probabilities.reduce(Float(0)) { $0 + $1[e] } }
  let mean = importance.reduce(0, +) / Float(experts)
  let variance = importance.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Float(experts)
  return variance / (mean * mean)
}

public let answers = Chapter06Answers(
  planeShares: planeShares, specializationScore: specializationScore, importanceLoss: importanceLoss)
