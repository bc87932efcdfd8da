import Datasets
import Exercises
import MoE

/// One stretch of the grid over which the same expert wins.
public struct WinnerInterval: Equatable, Sendable, CustomStringConvertible {
  public let expert: Int
  /// The first and last grid points of the stretch.
  public let from: Float
  public let to: Float

  public init(expert: Int, from: Float, to: Float) {
    self.expert = expert
    self.from = from
    self.to = to
  }

  public var description: String { "expert \(expert) on [\(describe(from)), \(describe(to))]" }
}

/// The answers chapter 4's checked exercises ask for (see `Exercises.swift`).
public struct Chapter04Answers: Sendable {
  /// Exercise 5: the stretches of the grid won by one expert, from left to right.
  public var winnerIntervals: @Sendable (_ xs: [Float], _ winners: [Int]) throws -> [WinnerInterval]
  /// Exercise 6: the hidden width of the single 1-H-1 expert with one parameter more than the mixture.
  public var singleExpertWidth: @Sendable () throws -> Int
  /// Exercise 7: the mixture's MSE on [-1, 1] with the gate at T = 1, in a `--quick` run.
  public var mixtureErrorAtTemperatureOne: @Sendable () throws -> Double

  public init(
    winnerIntervals: @escaping @Sendable (_ xs: [Float], _ winners: [Int]) throws -> [WinnerInterval],
    singleExpertWidth: @escaping @Sendable () throws -> Int,
    mixtureErrorAtTemperatureOne: @escaping @Sendable () throws -> Double
  ) {
    self.winnerIntervals = winnerIntervals
    self.singleExpertWidth = singleExpertWidth
    self.mixtureErrorAtTemperatureOne = mixtureErrorAtTemperatureOne
  }
}

public func chapter04Exercises(_ answers: Chapter04Answers) -> [Exercise] {
  [
    Exercise(number: 5, title: "the intervals won by each expert along the grid", kind: .code) {
      var random = CheckRandom(seed: 45)
      // One winner everywhere; an expert that wins twice (two intervals, not one); one-point stretches.
      var cases: [([Float], [Int])] = [
        ([-1, 0, 1], [2, 2, 2]), ([-1, -0.5, 0, 0.5, 1], [0, 1, 1, 0, 0]), ([0, 1, 2], [1, 0, 1]), ([0.5], [1]),
      ]
      for _ in 0..<30 {
        let count = random.int(in: 1...15)
        let xs = (0..<count).map { Float($0) / 10 - 0.7 }
        var winners: [Int] = []
        for _ in 0..<count { winners.append(random.int(in: 0...5) < 4 ? (winners.last ?? 0) : random.int(in: 0...2)) }
        cases.append((xs, winners))
      }
      for (xs, winners) in cases {
        try expectEqual(
          try answers.winnerIntervals(xs, winners), intervalOracle(xs, winners),
          input: "for xs \(describe(xs)) and winners \(describe(winners))", name: "intervals", verb: "are")
      }
    },
    Exercise(number: 6, title: "the width of a single expert as large as the mixture", kind: .question) {
      var generator = SeededGenerator(seed: 46)
      let mixture = MixtureOfExperts(
        experts: FeedForwardExpert.make(count: 3, inputSize: 1, hiddenSize: 8, outputSize: 1, using: &generator),
        gate: try SoftmaxGate(inputSize: 1, expertCount: 3, temperature: 0.1, using: &generator))
      let width = try answers.singleExpertWidth()
      let single = FeedForwardExpert(inputSize: 1, hiddenSize: max(1, width), outputSize: 1, using: &generator)
      if width < 1 || single.parameterCount != mixture.parameterCount + 1 {
        throw CheckFailure(
          "for the chapter's mixture (\(mixture.parameterCount) parameters) your width \(width) gives a 1-\(width)-1 "
            + "expert with \(single.parameterCount) parameters, expected \(mixture.parameterCount + 1)")
      }
    },
    Exercise(number: 7, title: "the mixture's error with the gate at T = 1 (--quick)", kind: .experiment) {
      let reference = Double(try combinedMixtureError(temperature: 1))
      try expectClose(
        try answers.mixtureErrorAtTemperatureOne(), reference, tolerance: 0.02 * reference,  // 2%
        input: "for the chapter's mixture with T = 1, seed 3, --quick (reran here)", name: "MSE on [-1, 1]")
    },
  ]
}

/// The chapter's loop that prints the intervals, as a function.
func intervalOracle(_ xs: [Float], _ winners: [Int]) -> [WinnerInterval] {
  var intervals: [WinnerInterval] = []
  var start = 0
  for i in 1...winners.count where i == winners.count || winners[i] != winners[start] {
    intervals.append(WinnerInterval(expert: winners[start], from: xs[start], to: xs[i - 1]))
    start = i
  }
  return intervals
}

/// The chapter's run at `--quick` size with the gate at `temperature` (the same draws in the same
/// order as `make chapter-4 ARGS="--quick"`); returns the mixture's MSE on the 401-point grid.
public func combinedMixtureError(temperature: Float, seed: UInt64 = 3) throws -> Float {
  var generator = SeededGenerator(seed: seed)
  let training = SyntheticData.piecewise(count: 256, noise: 0.05, using: &generator)
  let mixture = MixtureOfExperts(
    experts: FeedForwardExpert.make(count: 3, inputSize: 1, hiddenSize: 8, outputSize: 1, using: &generator),
    gate: try SoftmaxGate(inputSize: 1, expertCount: 3, temperature: temperature, using: &generator))
  let optimizer = Adam(parameters: mixture.parameters, learningRate: 0.01)
  for _ in 1...30 {
    for batch in training.batches(size: 64, using: &generator) {
      optimizer.zeroGrad()
      meanSquaredError(mixture(batch.inputs), batch.targets).backward()
      optimizer.step()
    }
  }
  let xs = SyntheticData.grid(from: -1, to: 1, count: 401)
  let target = Tensor(shape: [401, 1], scalars: xs.scalars.map(SyntheticData.piecewiseTarget))
  return withoutGradients { meanSquaredError(mixture(xs), target).item }
}
