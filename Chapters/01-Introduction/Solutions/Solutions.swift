// The teacher's answers to chapter 1's checked exercises (`make check-1 SOLUTIONS=1`).
import Chapter01Checks

func combine(gateWeights: [[Float]], expertOutputs: [[[Float]]]) throws -> [[Float]] {
  gateWeights.indices.map { n in
    var row = [Float](repeating: 0, count: expertOutputs[0][n].count)
    for e in expertOutputs.indices {
      for j in row.indices { row[j] += gateWeights[n][e] * expertOutputs[e][n][j] }
    }
    return row
  }
}

// Each expert: inputSize * hiddenSize + hiddenSize, then hiddenSize * outputSize + outputSize.
// The gate: inputSize * experts weights and experts biases.
func mixtureParameterCount(experts: Int, inputSize: Int, hiddenSize: Int, outputSize: Int) throws -> Int {
  let expert = inputSize * hiddenSize + hiddenSize + hiddenSize * outputSize + outputSize
  return experts * expert + inputSize * experts + experts
}

// `make chapter-1 ARGS="--quick"` with two experts, the last epoch's validation MSE.
func twoExpertValidationMSE() throws -> Double { 0.1492 }

public let answers = Chapter01Answers(
  combine: combine, mixtureParameterCount: mixtureParameterCount, twoExpertValidationMSE: twoExpertValidationMSE)
