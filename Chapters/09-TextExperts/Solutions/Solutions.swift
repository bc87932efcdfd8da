// The teacher's answers to chapter 9's checked exercises (`make check-9 SOLUTIONS=1`).
import Chapter09Checks
import Foundation  // exp, log

func meanOfValidSteps(sequences: [[[Float]]], lengths: [Int]) throws -> [[Float]] {
  zip(sequences, lengths).map { steps, length in
    let dimension = steps[0].count
    var sum = [Float](repeating: 0, count: dimension)
    for step in steps.prefix(length) { for d in 0..<dimension { sum[d] += step[d] } }
    return sum.map { $0 / Float(length) }
  }
}

func lstmParameterCount(inputSize: Int, hiddenSize: Int) throws -> Int {
  // Four gates, each with weights on the input and on the hidden state and two biases.
  4 * hiddenSize * (inputSize + hiddenSize + 2)
}

func sentimentLossFloor() throws -> Double {
  // Scores 1 (right class) and 0: -log(e / (e + 1)) = log(1 + 1/e).
  log(1 + 1 / exp(1.0))
}

public let answers = Chapter09Answers(
  meanOfValidSteps: meanOfValidSteps, lstmParameterCount: lstmParameterCount, sentimentLossFloor: sentimentLossFloor)
