// The teacher's answers to chapter 13's checked exercises (`make check-13 SOLUTIONS=1`).
import Chapter13Checks

func switchLoss(probabilities: [[Float]], chosen: [[Int]]) throws -> Float {
  let (tokens, experts) = (probabilities.count, probabilities[0].count)
  let pairs = Float(chosen.reduce(0) { $0 + $1.count })
  var fractions = [Float](repeating: 0, count: experts)
  for experts in chosen { for expert in experts { fractions[expert] += 1 / pairs } }
  var loss: Float = 0
  for expert in 0..<experts {
    let meanProbability = probabilities.reduce(0) { $0 + $1[expert] } / Float(tokens)
    loss += fractions[expert] * meanProbability
  }
  return Float(experts) * loss
}

func softThreshold(weights: [Float], threshold: Float) throws -> [Float] {
  weights.map { weight in
    let shrunk = max(abs(weight) - threshold, 0)
    return weight < 0 ? -shrunk : shrunk
  }
}

func updatedBias(bias: [Float], load: [Int], gamma: Float) throws -> [Float] {
  let mean = Float(load.reduce(0, +)) / Float(load.count)
  return zip(bias, load).map { bias, load in
    let gap = mean - Float(load)
    return bias + (gap > 0 ? gamma : (gap < 0 ? -gamma : 0))
  }
}

/// The teacher's answers, for `make check-13 SOLUTIONS=1` and the tests.
public let answers = Chapter13Answers(switchLoss: switchLoss, softThreshold: softThreshold, updatedBias: updatedBias)
