import Datasets
import Exercises
import MoE
import NeuralNetworks

/// The answers chapter 9's checked exercises ask for (see `Exercises.swift`).
public struct Chapter09Answers: Sendable {
  /// Exercise 6: the gate's input, the mean of each sequence's first `lengths[b]` steps.
  public var meanOfValidSteps: @Sendable (_ sequences: [[[Float]]], _ lengths: [Int]) throws -> [[Float]]
  /// Exercise 7: the parameters of one LSTM layer with PyTorch's two bias vectors.
  public var lstmParameterCount: @Sendable (_ inputSize: Int, _ hiddenSize: Int) throws -> Int
  /// Exercise 8: the lowest cross-entropy of a softmax output read as logits, for 2 classes.
  public var sentimentLossFloor: @Sendable () throws -> Double

  public init(
    meanOfValidSteps: @escaping @Sendable (_ sequences: [[[Float]]], _ lengths: [Int]) throws -> [[Float]],
    lstmParameterCount: @escaping @Sendable (_ inputSize: Int, _ hiddenSize: Int) throws -> Int,
    sentimentLossFloor: @escaping @Sendable () throws -> Double
  ) {
    self.meanOfValidSteps = meanOfValidSteps
    self.lstmParameterCount = lstmParameterCount
    self.sentimentLossFloor = sentimentLossFloor
  }
}

/// Chapter 9's checks: a masked mean against a tensor computation, the LSTM's size against the
/// library's `LSTMExpert`, and the loss floor against the library's `crossEntropy`.
public func chapter09Exercises(_ answers: Chapter09Answers) -> [Exercise] {
  [
    Exercise(number: 6, title: "the gate's input: the mean of each sequence's valid steps", kind: .code) {
      var random = CheckRandom(seed: 96)
      // A padded row first (the slide's mean divides by T), then a full-length row, a length of 1
      // and a batch whose rows have different lengths.
      var cases: [([[[Float]]], [Int])] = [
        ([[[1, 2], [3, 4], [0, 0]]], [2]),
        ([[[1, 2], [3, 4], [5, 9]]], [3]),
        ([[[7], [0.5], [0.5], [0.5]]], [1]),
        ([[[1, 1], [3, 3]], [[2, 4], [0.5, 0.5]]], [2, 1]),
      ]
      for _ in 0..<40 {
        let (batch, time, dimension) = (random.int(in: 1...4), random.int(in: 1...6), random.int(in: 1...3))
        let sequences = (0..<batch).map { _ in random.matrix(rows: time, columns: dimension, in: -2...2) }
        cases.append((sequences, (0..<batch).map { _ in random.int(in: 1...time) }))
      }
      for (sequences, lengths) in cases {
        try expectClose(
          try answers.meanOfValidSteps(sequences, lengths), maskedMean(sequences, lengths: lengths), tolerance: 1e-5,
          input: "for sequences \(describe(sequences)) and lengths \(describe(lengths))", name: "means")
      }
    },
    Exercise(number: 7, title: "the number of parameters of an LSTM layer", kind: .code) {
      var random = CheckRandom(seed: 97)
      // The chapter's two experts first (characters in 16 dimensions, words in 32), then a 1 x 1 LSTM.
      var cases: [(Int, Int)] = [(16, 16), (32, 16), (1, 1)]
      for _ in 0..<20 { cases.append((random.int(in: 1...64), random.int(in: 1...64))) }
      for (inputSize, hiddenSize) in cases {
        var generator = SeededGenerator(seed: 9)
        let expected = LSTMExpert(inputSize: inputSize, hiddenSize: hiddenSize, using: &generator).parameterCount
        try expectEqual(
          try answers.lstmParameterCount(inputSize, hiddenSize), expected,
          input: "for inputSize \(inputSize) and hiddenSize \(hiddenSize)", name: "parameter count")
      }
    },
    Exercise(number: 8, title: "the lowest cross-entropy of probabilities read as logits, 2 classes", kind: .question) {
      let perfect = crossEntropy(Tensor.oneHot([0], classes: 2), labels: [0]).item
      try expectClose(
        try answers.sentimentLossFloor(), Double(perfect), tolerance: 1e-3, input: "for C = 2 classes",
        name: "lowest cross-entropy")
    },
  ]
}

/// The mean over the first `lengths[b]` steps of each sequence, as the lesson's `meanOfFirstSteps`
/// computes it: the batch as a [B, T, D] tensor times a [B, T, 1] mask of 1 / L, summed over time.
func maskedMean(_ sequences: [[[Float]]], lengths: [Int]) -> [[Float]] {
  let (batch, time, dimension) = (sequences.count, sequences[0].count, sequences[0][0].count)
  var weights = [Float](repeating: 0, count: batch * time)
  for (row, length) in lengths.enumerated() {
    for step in 0..<length { weights[row * time + step] = 1 / Float(length) }
  }
  let tensor = Tensor(shape: [batch, time, dimension], scalars: sequences.flatMap { $0.flatMap { $0 } })
  let means = (tensor * Tensor(shape: [batch, time, 1], scalars: weights)).sum(axis: 1).scalars
  return (0..<batch).map { Array(means[($0 * dimension)..<(($0 + 1) * dimension)]) }
}

/// A batch of sequences as checks print it, [[[1, 2], [3, 4]]].
func describe(_ batch: [[[Float]]]) -> String { "[" + batch.map { describe($0) }.joined(separator: ", ") + "]" }
