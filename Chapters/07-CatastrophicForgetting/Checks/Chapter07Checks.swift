import Exercises
import MoE

/// The answers chapter 7's exercises ask for, one function each (see `Exercises.swift`).
public struct Chapter07Answers: Sendable {
  /// Exercise 6: the forgetting of Chaudhry et al. (2018) of a full accuracy matrix.
  public var forgetting: @Sendable (_ accuracies: [[Double]]) throws -> Double
  /// Exercise 7: the backward transfer of Lopez-Paz and Ranzato (2017) of a full accuracy matrix.
  public var backwardTransfer: @Sendable (_ accuracies: [[Double]]) throws -> Double
  /// Exercise 8: the parameters of a task-gated mixture (experts, gate rows and task classifier).
  public var taskGatedParameterCount:
    @Sendable (_ tasks: Int, _ expertsPerTask: Int, _ inputSize: Int, _ hiddenSize: Int, _ outputSize: Int) throws
      -> Int

  public init(
    forgetting: @escaping @Sendable (_ accuracies: [[Double]]) throws -> Double,
    backwardTransfer: @escaping @Sendable (_ accuracies: [[Double]]) throws -> Double,
    taskGatedParameterCount:
      @escaping @Sendable (
        _ tasks: Int, _ expertsPerTask: Int, _ inputSize: Int, _ hiddenSize: Int, _ outputSize: Int
      ) throws -> Int
  ) {
    self.forgetting = forgetting
    self.backwardTransfer = backwardTransfer
    self.taskGatedParameterCount = taskGatedParameterCount
  }
}

/// Chapter 7's checks: the two measures against hand-derived matrices and the definitions of
/// `AccuracyMatrix`, the parameter count against a `MixtureOfExperts` with a `TaskGate` built by the library.
public func chapter07Exercises(_ answers: Chapter07Answers) -> [Exercise] {
  [
    Exercise(number: 6, title: "the forgetting of an accuracy matrix (Chaudhry et al. 2018)", kind: .code) {
      for matrix in accuracyCases(seed: 71) {
        try expectClose(
          try answers.forgetting(matrix), referenceForgetting(matrix), tolerance: 1e-9,
          input: "for the accuracy matrix \(describeMatrix(matrix))", name: "forgetting")
      }
    },
    Exercise(number: 7, title: "the backward transfer of an accuracy matrix (Lopez-Paz and Ranzato 2017)", kind: .code)
    {
      for matrix in accuracyCases(seed: 72) {
        try expectClose(
          try answers.backwardTransfer(matrix), referenceBackwardTransfer(matrix), tolerance: 1e-9,
          input: "for the accuracy matrix \(describeMatrix(matrix))", name: "backward transfer")
      }
    },
    Exercise(number: 8, title: "the parameter count of a task-gated mixture", kind: .code) {
      var random = CheckRandom(seed: 73)
      // The chapter's mixture first, then one task, one expert per task, and seeded small shapes.
      var cases: [(Int, Int, Int, Int, Int)] = [(3, 2, 784, 32, 10), (1, 1, 4, 3, 2), (4, 1, 5, 2, 3)]
      for _ in 0..<20 {
        cases.append(
          (
            random.int(in: 1...5), random.int(in: 1...4), random.int(in: 1...30), random.int(in: 1...12),
            random.int(in: 1...6)
          ))
      }
      for (tasks, perTask, inputs, hidden, outputs) in cases {
        try expectEqual(
          try answers.taskGatedParameterCount(tasks, perTask, inputs, hidden, outputs),
          try libraryTaskGatedParameterCount(tasks, perTask, inputs, hidden, outputs),
          input:
            "for \(tasks) tasks of \(perTask) experts \(inputs)-\(hidden)-\(outputs)",
          name: "parameter count")
      }
    },
  ]
}

/// Hand-picked matrices first (a task at its best after it was learned, no forgetting at all, a task
/// that ends above its best, two tasks only), then seeded square matrices of 2 to 5 tasks.
func accuracyCases(seed: UInt64) -> [[[Double]]] {
  var cases: [[[Double]]] = [
    [[0.9, 0.1], [0.5, 0.8]],  // task 1 falls from 0.9 to 0.5
    [[0.6, 0.1, 0.1], [0.8, 0.7, 0.1], [0.5, 0.6, 0.9]],  // task 1 is best after task 2, not on the diagonal
    [[0.9, 0.1, 0.1], [0.9, 0.9, 0.1], [0.9, 0.9, 0.9]],  // the task-gated mixture: nothing forgotten
    [[0.5, 0.1], [0.7, 0.9]],  // task 1 ends above its best: negative forgetting
  ]
  var random = CheckRandom(seed: seed)
  for _ in 0..<30 {
    let tasks = random.int(in: 2...5)
    cases.append((0..<tasks).map { _ in random.floats(tasks, in: 0...1).map(Double.init) })
  }
  return cases
}

/// F = mean over j < T - 1 of (max over i < T - 1 of R[i][j]) - R[T-1][j], as `AccuracyMatrix.forgetting`.
func referenceForgetting(_ matrix: [[Double]]) -> Double {
  let last = matrix.count - 1
  var total = 0.0
  for task in 0..<last {
    var best = -Double.infinity
    for row in 0..<last { best = max(best, matrix[row][task]) }
    total += best - matrix[last][task]
  }
  return total / Double(last)
}

/// BWT = mean over j < T - 1 of R[T-1][j] - R[j][j], as `AccuracyMatrix.backwardTransfer`.
func referenceBackwardTransfer(_ matrix: [[Double]]) -> Double {
  let last = matrix.count - 1
  var total = 0.0
  for task in 0..<last { total += matrix[last][task] - matrix[task][task] }
  return total / Double(last)
}

/// The parameters of the mixture the chapter builds, counted by the library on a fresh instance.
func libraryTaskGatedParameterCount(
  _ tasks: Int, _ expertsPerTask: Int, _ inputSize: Int, _ hiddenSize: Int, _ outputSize: Int
) throws -> Int {
  var generator = SeededGenerator(seed: 7)
  let experts = FeedForwardExpert.make(
    count: tasks * expertsPerTask, inputSize: inputSize, hiddenSize: hiddenSize, outputSize: outputSize,
    using: &generator)
  let gate = try TaskGate(inputSize: inputSize, tasks: tasks, expertsPerTask: expertsPerTask, using: &generator)
  return MixtureOfExperts(experts: experts, gate: gate).parameterCount
}

/// Rows of accuracies as the messages print them.
func describeMatrix(_ matrix: [[Double]]) -> String { "[" + matrix.map { describe($0) }.joined(separator: ", ") + "]" }
