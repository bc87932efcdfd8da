// The teacher's answers to chapter 7's checked exercises (`make check-7 SOLUTIONS=1`).
import Chapter07Checks

func forgetting(accuracies: [[Double]]) throws -> Double {
  let last = accuracies.count - 1
  let drops = (0..<last).map { task in
    accuracies[0..<last].map { $0[task] }.max()! - accuracies[last][task]
  }
  return drops.reduce(0, +) / Double(last)
}

func backwardTransfer(accuracies: [[Double]]) throws -> Double {
  let last = accuracies.count - 1
  return (0..<last).map { accuracies[last][$0] - accuracies[$0][$0] }.reduce(0, +) / Double(last)
}

func taskGatedParameterCount(
  tasks: Int, expertsPerTask: Int, inputSize: Int, hiddenSize: Int, outputSize: Int
) throws -> Int {
  let experts = tasks * expertsPerTask
  let expert = inputSize * hiddenSize + hiddenSize + hiddenSize * outputSize + outputSize
  let gateScores = experts * (inputSize + 1)
  let taskClassifier = tasks * (inputSize + 1)
  return experts * expert + gateScores + taskClassifier
}

public let answers = Chapter07Answers(
  forgetting: forgetting, backwardTransfer: backwardTransfer, taskGatedParameterCount: taskGatedParameterCount)
