// The teacher's answers to chapter 2's checked exercises (`make check-2 SOLUTIONS=1`).
import Chapter02Checks
import Datasets
import Foundation

func expertOutput(
  x: Float, hiddenWeights: [Float], hiddenBiases: [Float], outputWeights: [Float], outputBias: Float
) throws -> Float {
  hiddenWeights.indices.reduce(outputBias) { sum, j in
    sum + outputWeights[j] * tanh(hiddenWeights[j] * x + hiddenBiases[j])
  }
}

func regimeErrors(xs: [Float], predictions: [Float]) throws -> [Float] {
  var sums = [Float](repeating: 0, count: 3)
  var counts = [Float](repeating: 0, count: 3)
  for (x, prediction) in zip(xs, predictions) {
    let regime = SyntheticData.piecewiseRegime(x)
    sums[regime] += (prediction - SyntheticData.piecewiseTarget(x)) * (prediction - SyntheticData.piecewiseTarget(x))
    counts[regime] += 1
  }
  return (0..<3).map { counts[$0] > 0 ? sums[$0] / counts[$0] : 0 }
}

// The expected squared error of the noise itself: its variance, 0.05^2.
func noiseFloor() throws -> Double { 0.0025 }

public let answers = Chapter02Answers(expertOutput: expertOutput, regimeErrors: regimeErrors, noiseFloor: noiseFloor)
