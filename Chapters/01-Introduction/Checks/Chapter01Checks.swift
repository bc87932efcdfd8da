import Datasets
import Exercises
import MoE

/// The answers chapter 1's checked exercises ask for (see `Exercises.swift`).
public struct Chapter01Answers: Sendable {
  /// Exercise 5: y_n = sum_e g_e(x_n) E_e(x_n), from the gate's weights and the experts' outputs.
  public var combine: @Sendable (_ gateWeights: [[Float]], _ expertOutputs: [[[Float]]]) throws -> [[Float]]
  /// Exercise 6: the parameter count of a mixture of MLP experts with a softmax gate.
  public var mixtureParameterCount:
    @Sendable (_ experts: Int, _ inputSize: Int, _ hiddenSize: Int, _ outputSize: Int) throws -> Int
  /// Exercise 7: the 2-D mixture's final validation MSE with two experts, in a `--quick` run.
  public var twoExpertValidationMSE: @Sendable () throws -> Double

  public init(
    combine: @escaping @Sendable (_ gateWeights: [[Float]], _ expertOutputs: [[[Float]]]) throws -> [[Float]],
    mixtureParameterCount:
      @escaping @Sendable (_ experts: Int, _ inputSize: Int, _ hiddenSize: Int, _ outputSize: Int) throws -> Int,
    twoExpertValidationMSE: @escaping @Sendable () throws -> Double
  ) {
    self.combine = combine
    self.mixtureParameterCount = mixtureParameterCount
    self.twoExpertValidationMSE = twoExpertValidationMSE
  }
}

public func chapter01Exercises(_ answers: Chapter01Answers) -> [Exercise] {
  [
    Exercise(number: 5, title: "combine the experts' outputs with the gate's weights", kind: .code) {
      // Hand-made cases first (one expert; a zero weight), then real mixtures: the oracle is
      // what `MixtureOfExperts` returns for the same batch.
      let handMade: [([[Float]], [[[Float]]], [[Float]])] = [
        ([[1]], [[[2, 3]]], [[2, 3]]),
        ([[0.25, 0.75]], [[[4]], [[8]]], [[7]]),
        ([[1, 0], [0.5, 0.5]], [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], [[1, 2], [5, 6]]),
      ]
      for (weights, outputs, expected) in handMade {
        try expectClose(
          try answers.combine(weights, outputs), expected, tolerance: 1e-5,
          input: "for gate weights \(describe(weights)) and expert outputs \(describe3(outputs))", name: "outputs")
      }
      var generator = SeededGenerator(seed: 15)
      for (experts, inputs, outputs) in [(3, 4, 2), (2, 3, 1), (4, 2, 3)] {
        let mixture = MixtureOfExperts(
          experts: FeedForwardExpert.make(
            count: experts, inputSize: inputs, hiddenSize: 5, outputSize: outputs, using: &generator),
          gate: try SoftmaxGate(inputSize: inputs, expertCount: experts, using: &generator))
        let batch = Tensor.normal([3, inputs], using: &generator)
        let (output, routing) = withoutGradients { mixture.forward(batch) }
        let weights = rows(routing.probabilities)
        let expertOutputs = withoutGradients { mixture.experts.map { rows($0(batch)) } }
        try expectClose(
          try answers.combine(weights, expertOutputs), rows(output), tolerance: 1e-4,
          input: "for gate weights \(describe(weights)) and expert outputs \(describe3(expertOutputs))",
          name: "outputs")
      }
    },
    Exercise(number: 6, title: "the parameter count of a mixture", kind: .code) {
      var generator = SeededGenerator(seed: 16)
      var sizes = [(3, 10, 20, 5), (1, 1, 1, 1), (4, 2, 16, 1)]
      var random = CheckRandom(seed: 16)
      for _ in 0..<20 {
        sizes.append((random.int(in: 1...8), random.int(in: 1...12), random.int(in: 1...32), random.int(in: 1...6)))
      }
      for (experts, inputs, hidden, outputs) in sizes {
        let mixture = MixtureOfExperts(
          experts: FeedForwardExpert.make(
            count: experts, inputSize: inputs, hiddenSize: hidden, outputSize: outputs, using: &generator),
          gate: try SoftmaxGate(inputSize: inputs, expertCount: experts, using: &generator))
        try expectEqual(
          try answers.mixtureParameterCount(experts, inputs, hidden, outputs), mixture.parameterCount,
          input: "for \(experts) experts \(inputs)-\(hidden)-\(outputs) and a softmax gate", name: "count")
      }
    },
    Exercise(number: 7, title: "the 2-D mixture's validation MSE with two experts (--quick)", kind: .experiment) {
      let reference = Double(try quadrantValidationMSE(experts: 2))
      try expectClose(
        try answers.twoExpertValidationMSE(), reference, tolerance: 0.02 * reference,  // 2%
        input: "for the chapter's 2-D mixture with 2 experts, seed 1, --quick (reran here)",
        name: "final validation MSE")
    },
  ]
}

/// The chapter's run at `--quick` size, with `experts` experts in the 2-D mixture: the same draws
/// from the same generator in the same order, so it reproduces what `make chapter-1 ARGS=--quick`
/// prints after the student's edit. Returns the last epoch's validation MSE.
public func quadrantValidationMSE(experts: Int, seed: UInt64 = 1) throws -> Float {
  var generator = SeededGenerator(seed: seed)
  // The first half of the chapter draws a mixture and a batch before the 2-D data.
  _ = FeedForwardExpert.make(count: 3, inputSize: 10, hiddenSize: 20, outputSize: 5, using: &generator)
  _ = try SoftmaxGate(inputSize: 10, expertCount: 3, using: &generator)
  _ = Tensor.normal([64, 10], using: &generator)

  let data = SyntheticData.quadrants(count: 800, using: &generator)
  let (training, validation) = data.split(trainingFraction: 0.8)
  let mixture = MixtureOfExperts(
    experts: FeedForwardExpert.make(count: experts, inputSize: 2, hiddenSize: 16, outputSize: 1, using: &generator),
    gate: try SoftmaxGate(inputSize: 2, expertCount: experts, using: &generator))
  let optimizer = Adam(parameters: mixture.parameters, learningRate: 0.01)
  for _ in 0..<8 {
    for batch in training.batches(size: 32, using: &generator) {
      optimizer.zeroGrad()
      meanSquaredError(mixture(batch.inputs), batch.targets).backward()
      optimizer.step()
    }
  }
  return withoutGradients { meanSquaredError(mixture(validation.inputs), validation.targets).item }
}

func rows(_ matrix: Tensor) -> [[Float]] {
  let columns = matrix.shape[1]
  return (0..<matrix.shape[0]).map { Array(matrix.scalars[($0 * columns)..<(($0 + 1) * columns)]) }
}

func describe3(_ blocks: [[[Float]]]) -> String { "[" + blocks.map { describe($0) }.joined(separator: ", ") + "]" }
