import Datasets
import Exercises
import MoE
import NeuralNetworks
import Tensors

/// The answers chapter 10's checked exercises ask for (see `Exercises.swift`).
public struct Chapter10Answers: Sendable {
  /// Exercise 6: the mixture y_b = sum_e g_e(x_b) E_e(x_b) from the experts' outputs stacked as [E, B, C].
  public var combineStackedExperts:
    @Sendable (_ gateWeights: [[Float]], _ expertOutputs: [[[Float]]]) throws -> [[Float]]
  /// Exercise 7: NumPy's broadcasting rule, the shape of `a * b` or nil.
  public var broadcastShape: @Sendable (_ a: [Int], _ b: [Int]) throws -> [Int]?
  /// Exercise 8: the number of features after a third block of 32 channels.
  public var featureCountWithThirdBlock: @Sendable () throws -> Int

  public init(
    combineStackedExperts:
      @escaping @Sendable (_ gateWeights: [[Float]], _ expertOutputs: [[[Float]]]) throws -> [[Float]],
    broadcastShape: @escaping @Sendable (_ a: [Int], _ b: [Int]) throws -> [Int]?,
    featureCountWithThirdBlock: @escaping @Sendable () throws -> Int
  ) {
    self.combineStackedExperts = combineStackedExperts
    self.broadcastShape = broadcastShape
    self.featureCountWithThirdBlock = featureCountWithThirdBlock
  }
}

/// Chapter 10's checks: the combination against the library's tensors stacked on the expert axis,
/// the broadcasting rule against a hand-derived oracle, and the feature count against the
/// library's layers run on one image.
public func chapter10Exercises(_ answers: Chapter10Answers) -> [Exercise] {
  [
    Exercise(number: 6, title: "the mixture's output from experts stacked as [E, B, C]", kind: .code) {
      var random = CheckRandom(seed: 106)
      // B = E first: the slide's pairing runs there and gives wrong numbers. Then one image (the
      // slide's example), a gate sure of one expert, and an expert with a gate weight of 0 everywhere.
      var cases: [([[Float]], [[[Float]]])] = [
        ([[0.25, 0.75], [1, 0]], [[[1], [2]], [[10], [20]]]),
        ([[0.2, 0.3, 0.5]], [[[1, 0]], [[0, 1]], [[2, 2]]]),
        ([[0, 1], [0, 1], [0, 1]], [[[5], [6], [7]], [[-1], [-2], [-3]]]),
      ]
      for _ in 0..<40 {
        let (batch, experts, classes) = (random.int(in: 1...5), random.int(in: 1...5), random.int(in: 1...4))
        let gate = (0..<batch).map { _ in
          let raw = random.floats(experts, in: 0.05...1)
          let total = raw.reduce(0, +)
          return raw.map { $0 / total }
        }
        cases.append((gate, (0..<experts).map { _ in random.matrix(rows: batch, columns: classes, in: -3...3) }))
      }
      for (gate, outputs) in cases {
        try expectClose(
          try answers.combineStackedExperts(gate, outputs), mixture(gate, outputs), tolerance: 1e-5,
          input: "for gate weights \(describe(gate)) and expert outputs \(describe(outputs))", name: "outputs")
      }
    },
    Exercise(number: 7, title: "NumPy's broadcasting rule for two shapes", kind: .code) {
      var random = CheckRandom(seed: 107)
      // The slide's training batch, its batch of one and of five, shapes of different ranks, a 1 on
      // either side, and a scalar's empty shape.
      var cases: [([Int], [Int])] = [
        ([5, 64, 10], [64, 5, 1]), ([5, 1, 10], [1, 5, 1]), ([5, 5, 10], [5, 5, 1]), ([10], [64, 5, 10]),
        ([2, 1], [1, 3]), ([4, 3], [3]), ([3], [4]), ([], [2, 2]),
      ]
      for _ in 0..<60 {
        let shape = { (rank: Int) in (0..<rank).map { _ in [1, 2, 3][random.int(in: 0...2)] } }
        cases.append((shape(random.int(in: 0...3)), shape(random.int(in: 0...3))))
      }
      for (a, b) in cases {
        try expectEqual(
          try answers.broadcastShape(a, b), broadcastedShape(a, b).shape, input: "for shapes \(describe(a)) and \(describe(b))",
          name: "broadcast shape", describe: { $0.map { describe($0) } ?? "nil (no broadcast)" })
      }
    },
    Exercise(number: 8, title: "the feature count after a third block of 32 channels", kind: .question) {
      try expectEqual(
        try answers.featureCountWithThirdBlock(), featureCountWithThirdBlock(),
        input: "for a third block of 32 channels after the chapter's extractor", name: "feature count")
    },
  ]
}

/// y_b = sum_e g_e(x_b) E_e(x_b) through the library: the outputs stacked on axis 1, [B, E, C],
/// times the gate's [B, E, 1], summed over the experts.
func mixture(_ gate: [[Float]], _ outputs: [[[Float]]]) -> [[Float]] {
  let (batch, experts, classes) = (gate.count, outputs.count, outputs[0][0].count)
  let stacked = Tensor.stack(
    outputs.map { Tensor(shape: [batch, classes], scalars: $0.flatMap { $0 }) }, axis: 1)
  let weights = Tensor(shape: [batch, experts], scalars: gate.flatMap { $0 }).unsqueezed(axis: 2)
  let result = (stacked * weights).sum(axis: 1).scalars
  return (0..<batch).map { Array(result[($0 * classes)..<(($0 + 1) * classes)]) }
}

/// The chapter's two blocks, a third block (3 x 3 convolution to 32 channels, ReLU, 2 x 2 max
/// pooling) and `Flatten`, run on one blank 28 x 28 image: the width of the result.
func featureCountWithThirdBlock() -> Int {
  var generator = SeededGenerator(seed: 10)
  let extractor = Sequential(
    Conv2D(1, 8, kernelSize: 3, padding: 1, using: &generator), ReLU(), MaxPool2D(kernelSize: 2),
    Conv2D(8, 16, kernelSize: 3, padding: 1, using: &generator), ReLU(), MaxPool2D(kernelSize: 2),
    Conv2D(16, 32, kernelSize: 3, padding: 1, using: &generator), ReLU(), MaxPool2D(kernelSize: 2), Flatten())
  return withoutGradients { extractor(Tensor.zeros([1, 1, 28, 28])) }.shape[1]
}

/// Expert outputs as checks print them, [[[1], [2]], [[10], [20]]].
func describe(_ outputs: [[[Float]]]) -> String { "[" + outputs.map { describe($0) }.joined(separator: ", ") + "]" }
