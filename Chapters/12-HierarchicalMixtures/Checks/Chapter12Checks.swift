import Exercises
import MoE

/// What one input costs in a tree of top-k gates with sparse dispatch.
public struct TreeEvaluations: Equatable, Sendable, CustomStringConvertible {
  /// The (input, leaf) pairs computed per input: the leaves the input reaches.
  public var leaves: Int
  /// The (input, gate) pairs computed per input, the top gate included.
  public var gates: Int

  public init(leaves: Int, gates: Int) {
    self.leaves = leaves
    self.gates = gates
  }

  public var description: String { "\(leaves) leaves and \(gates) gates" }
}

/// The answers chapter 12's exercises ask for, one function each (see `Exercises.swift`).
public struct Chapter12Answers: Sendable {
  /// Exercise 5: leaves and gates evaluated per input, for `branching[l]` experts and top-`k[l]` at level l.
  public var evaluationsPerInput: @Sendable (_ branching: [Int], _ k: [Int]) throws -> TreeEvaluations
  /// Exercise 6: the weight of each leaf (i, j), in order, from the top gate's g_i and group i's g_ij.
  public var leafWeights: @Sendable (_ top: [Float], _ groups: [[Float]]) throws -> [Float]

  public init(
    evaluationsPerInput: @escaping @Sendable (_ branching: [Int], _ k: [Int]) throws -> TreeEvaluations,
    leafWeights: @escaping @Sendable (_ top: [Float], _ groups: [[Float]]) throws -> [Float]
  ) {
    self.evaluationsPerInput = evaluationsPerInput
    self.leafWeights = leafWeights
  }
}

/// Chapter 12's checks: the evaluations against the counts of the library's routing records for a
/// tree built by `MixtureOfExperts.hierarchy`, and the leaf weights against the output of a
/// two-level mixture of softmax gates whose leaves output one-hot vectors.
public func chapter12Exercises(_ answers: Chapter12Answers) -> [Exercise] {
  [
    Exercise(number: 5, title: "leaves and gates a tree of top-k gates evaluates per input", kind: .code) {
      var cases: [([Int], [Int])] = [
        ([4, 4, 4], [2, 2, 2]),  // the lesson's 64-leaf tree, top-2: 8 leaves, 7 gates
        ([4, 4, 4], [1, 1, 1]),  // top-1: one path, one gate per level
        ([3, 2], [3, 2]),  // the slide's dense 3 x 2: every leaf, every gate
        ([4, 4, 4], [1, 2, 4]),  // a different k at every level
        ([5], [3]),  // a flat mixture
      ]
      var random = CheckRandom(seed: 121)
      for _ in 0..<12 {
        let branching = (0..<random.int(in: 1...3)).map { _ in random.int(in: 1...4) }
        cases.append((branching, branching.map { random.int(in: 1...$0) }))
      }
      for (branching, k) in cases {
        try expectEqual(
          try answers.evaluationsPerInput(branching, k), try libraryEvaluations(branching: branching, k: k),
          input: "for branching \(describe(branching)) and k \(describe(k))", name: "count", verb: "is")
      }
    },
    Exercise(number: 6, title: "the weight of each leaf of a two-level mixture", kind: .code) {
      var cases: [([Float], [[Float]])] = [
        ([0.25, 0.75], [[0.5, 0.5], [0.2, 0.8]]),
        ([0.5, 0.3, 0.2], [[0.9, 0.1], [0.4, 0.6], [0.7, 0.3]]),  // the slide's 3 x 2
        ([0.6, 0.4], [[1], [0.1, 0.2, 0.7]]),  // groups of different sizes
      ]
      var random = CheckRandom(seed: 122)
      for _ in 0..<10 {
        let groups = random.int(in: 1...4)
        cases.append(
          (
            normalized(random.floats(groups, in: 0.05...1)),
            (0..<groups).map { _ in normalized(random.floats(random.int(in: 1...4), in: 0.05...1)) }
          ))
      }
      for (top, groups) in cases {
        try expectClose(
          try answers.leafWeights(top, groups), try libraryLeafWeights(top: top, groups: groups), tolerance: 1e-5,
          input: "for top gate \(describe(top)) and groups \(describe(groups))", name: "leaf weights")
      }
    },
  ]
}

/// `values` / their sum.
func normalized(_ values: [Float]) -> [Float] {
  let total = values.reduce(0, +)
  return values.map { $0 / total }
}

/// The counts of the routing record of a tree with top-k[l] gates at level l, on 16 random inputs.
func libraryEvaluations(branching: [Int], k: [Int]) throws -> TreeEvaluations {
  var generator = SeededGenerator(seed: 12)
  let tree = try MixtureOfExperts.hierarchy(
    branching: branching, dispatch: .sparse,
    gate: { path, count, generator in
      try TopKGate(inputSize: 2, expertCount: count, k: k[path.count], using: &generator)
    },
    leaf: { _, generator in FeedForwardExpert(inputSize: 2, hiddenSize: 2, outputSize: 1, using: &generator) },
    using: &generator)
  let inputs = 16
  let routing = withoutGradients { tree.forward(Tensor.normal([inputs, 2], using: &generator)).routing }
  return TreeEvaluations(leaves: routing.leafEvaluations / inputs, gates: routing.gateEvaluations / inputs)
}

/// The output of a dense two-level mixture whose gates give exactly `top` and `groups` (zero weights,
/// biases log p, so softmax gives back p) and whose leaf l outputs the l-th unit vector: the output
/// is the leaves' weights.
func libraryLeafWeights(top: [Float], groups: [[Float]]) throws -> [Float] {
  var generator = SeededGenerator(seed: 12)
  let leafCount = groups.reduce(0) { $0 + $1.count }
  func gate(_ probabilities: [Float]) throws -> SoftmaxGate {
    let gate = try SoftmaxGate(inputSize: 1, expertCount: probabilities.count, using: &generator)
    gate.scores.weight.assign(Tensor(shape: [probabilities.count, 1], scalars: probabilities.map { _ in 0 }))
    gate.scores.bias.assign(Tensor(shape: [probabilities.count], scalars: probabilities).log())
    return gate
  }
  var next = 0
  var mixtures: [MixtureOfExperts] = []
  for probabilities in groups {
    let leaves = probabilities.map { _ in
      let leaf = FeedForwardExpert(inputSize: 1, hiddenSize: 1, outputSize: leafCount, using: &generator)
      leaf.hidden.weight.assign(Tensor(shape: [1, 1], scalars: [0]))
      leaf.output.weight.assign(Tensor(shape: [leafCount, 1], scalars: [Float](repeating: 0, count: leafCount)))
      leaf.output.bias!.assign(Tensor(shape: [leafCount], scalars: (0..<leafCount).map { $0 == next ? 1 : 0 }))
      next += 1
      return leaf
    }
    mixtures.append(MixtureOfExperts(experts: leaves, gate: try gate(probabilities)))
  }
  let tree = MixtureOfExperts(experts: mixtures, gate: try gate(top))
  return withoutGradients { tree(Tensor(shape: [1, 1], scalars: [0])) }.scalars
}
