// The teacher's answers to chapter 5's checked exercises (`make check-5 SOLUTIONS=1`).
import Chapter05Checks
import Foundation

func adamSteps(start: [Float], gradients: [[Float]], learningRate: Float) throws -> [Float] {
  let (beta1, beta2, epsilon): (Float, Float, Float) = (0.9, 0.999, 1e-8)
  var p = start
  var m = [Float](repeating: 0, count: start.count)
  var v = [Float](repeating: 0, count: start.count)
  for (step, g) in gradients.enumerated() {
    let t = Float(step + 1)
    for i in p.indices {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i]
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i]
      p[i] -= learningRate * (m[i] / (1 - pow(beta1, t))) / ((v[i] / (1 - pow(beta2, t))).squareRoot() + epsilon)
    }
  }
  return p
}

// Mixture: experts (inputSize h + h + h + 1) each, gate inputSize E + E. MLP: (inputSize + 2) H + 1.
func matchingWidth(experts: Int, expertHidden: Int, inputSize: Int) throws -> Int {
  let mixture = experts * (inputSize * expertHidden + 2 * expertHidden + 1) + (inputSize + 1) * experts
  let perUnit = inputSize + 2
  return max(1, (mixture - 1 + perUnit - 1) / perUnit)
}

// Each x_i^2 is chi-squared with one degree of freedom: variance E[x^4] - E[x^2]^2 = 3 - 1 = 2;
// ten independent ones add up to 20.
func targetVariance() throws -> Double { 20 }

public let answers = Chapter05Answers(
  adamSteps: adamSteps, matchingWidth: matchingWidth, targetVariance: targetVariance)
