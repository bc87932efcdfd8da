// The teacher's answers to chapter 12's checked exercises (`make check-12 SOLUTIONS=1`).
import Chapter12Checks

/// Level l is reached by k[0] ... k[l-1] branches, each evaluating one gate of level l; the leaves
/// are the branches below the last level.
func evaluationsPerInput(branching: [Int], k: [Int]) throws -> TreeEvaluations {
  var branches = 1
  var gates = 0
  for level in branching.indices {
    gates += branches
    branches *= k[level]
  }
  return TreeEvaluations(leaves: branches, gates: gates)
}

/// Leaf (i, j) is weighted by the product of the gates along its path.
func leafWeights(top: [Float], groups: [[Float]]) throws -> [Float] {
  zip(top, groups).flatMap { weight, group in group.map { weight * $0 } }
}

public let answers = Chapter12Answers(evaluationsPerInput: evaluationsPerInput, leafWeights: leafWeights)
