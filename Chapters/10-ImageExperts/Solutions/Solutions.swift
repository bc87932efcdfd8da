// The teacher's answers to chapter 10's checked exercises (`make check-10 SOLUTIONS=1`).
import Chapter10Checks

func combineStackedExperts(gateWeights: [[Float]], expertOutputs: [[[Float]]]) throws -> [[Float]] {
  gateWeights.enumerated().map { image, weights in
    var output = [Float](repeating: 0, count: expertOutputs[0][image].count)
    for (expert, weight) in weights.enumerated() {
      for c in output.indices { output[c] += weight * expertOutputs[expert][image][c] }
    }
    return output
  }
}

func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int]? {
  let rank = max(a.count, b.count)
  let left = Array(repeating: 1, count: rank - a.count) + a
  let right = Array(repeating: 1, count: rank - b.count) + b
  var shape: [Int] = []
  for (x, y) in zip(left, right) {
    if x != y && x != 1 && y != 1 { return nil }
    shape.append(max(x, y))
  }
  return shape
}

func featureCountWithThirdBlock() throws -> Int {
  // 28 -> 14 -> 7 -> 3 (pooling 7 by 2 drops the last row and column); 32 channels of 3 x 3.
  32 * 3 * 3
}

public let answers = Chapter10Answers(
  combineStackedExperts: combineStackedExperts, broadcastShape: broadcastShape,
  featureCountWithThirdBlock: featureCountWithThirdBlock)
