import Testing

@testable import Tensors

/// `routedFeedForward` against finite differences, and bit for bit against the chain of ops it
/// replaces (indexSelect, affine, relu, affine per expert, then weightedScatter).
@Suite struct RoutedFeedForwardTests {
  static func leaf(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -1, high: 1, using: &generator, requiresGrad: true)
  }

  /// Three experts 4 -> 5 -> 3 on 6 tokens: expert 0 takes tokens 4, 0, 2; expert 1 none; expert 2
  /// tokens 1, 2, 3, 5 (token 2 goes to two experts, and so on).
  static let rows = [4, 0, 2, 1, 2, 3, 5]
  static let counts = [3, 0, 4]

  static func parameters(seed: UInt64, bias: Bool = true) -> [Tensor] {
    (0..<3).flatMap { expert -> [Tensor] in
      let base = seed + UInt64(10 * expert)
      let hidden = [leaf([5, 4], seed: base), leaf([5], seed: base + 1)]
      let output = [leaf([3, 5], seed: base + 2), leaf([3], seed: base + 3)]
      return bias ? hidden + output : [hidden[0], output[0]]
    }
  }

  static func experts(_ parameters: [Tensor], bias: Bool = true) -> [FeedForwardWeights] {
    let perExpert = bias ? 4 : 2
    return (0..<3).map { expert in
      let p = Array(parameters[(expert * perExpert)..<((expert + 1) * perExpert)])
      return bias
        ? FeedForwardWeights(hiddenWeight: p[0], hiddenBias: p[1], outputWeight: p[2], outputBias: p[3])
        : FeedForwardWeights(hiddenWeight: p[0], hiddenBias: nil, outputWeight: p[1], outputBias: nil)
    }
  }

  /// The general path: each expert on the gathered block of its rows, then the weighted scatter.
  static func chain(
    _ input: Tensor, rows: [Int], counts: [Int], weights: Tensor, experts: [FeedForwardWeights]
  ) -> Tensor {
    var blocks: [Tensor] = []
    var start = 0
    for (expert, count) in counts.enumerated() {
      defer { start += count }
      if count == 0 { continue }
      let expertRows = Array(rows[start..<(start + count)])
      let block =
        expertRows.elementsEqual(0..<input.shape[0]) ? input : input.indexSelect(rows: expertRows)
      let e = experts[expert]
      let hidden = Tensor.affine(block, weight: e.hiddenWeight, bias: e.hiddenBias).relu()
      blocks.append(Tensor.affine(hidden, weight: e.outputWeight, bias: e.outputBias))
    }
    return Tensor.weightedScatter(blocks, rows: rows, weights: weights, rowCount: input.shape[0])
  }

  @Test func gradientsMatchFiniteDifferences() {
    for bias in [true, false] {
      let inputs = [Self.leaf([6, 4], seed: 1), Self.leaf([7], seed: 2)] + Self.parameters(seed: 3, bias: bias)
      let report = checkGradients(
        of: { t in
          Tensor.routedFeedForward(
            t[0], rows: Self.rows, counts: Self.counts, weights: t[1], experts: Self.experts(Array(t[2...]), bias: bias)
          )
        }, at: inputs)
      #expect(report.passes(tolerance: 1e-2), "bias \(bias): \(report)")
    }
  }

  /// Output and every gradient, as bit patterns, after a backward with a loss weighting each output.
  static func bits(
    _ function: (Tensor, [Int], [Int], Tensor, [FeedForwardWeights]) -> Tensor, rows: [Int], counts: [Int],
    tokens: Int, inputNeedsGradient: Bool, existingGradients: Bool
  ) -> [UInt32] {
    var generator = SeededGenerator(seed: 40)
    let input = Tensor.uniform([tokens, 4], low: -1, high: 1, using: &generator, requiresGrad: inputNeedsGradient)
    let weights = Self.leaf([rows.count], seed: 41)
    let parameters = Self.parameters(seed: 42)
    let leaves = (inputNeedsGradient ? [input] : []) + [weights] + parameters
    if existingGradients {
      // Gradients left from an earlier backward: the op must add to them as the chain does.
      for (index, leaf) in leaves.enumerated() { leaf.grad = Self.leaf(leaf.shape, seed: 60 + UInt64(index)) }
    }
    let output = function(input, rows, counts, weights, Self.experts(parameters))
    let projection = Tensor.uniform(output.shape, low: -1, high: 1, using: &generator)
    (output * projection).sum().backward()
    // A leaf no assignment reaches (an expert without rows) has no gradient in either path: marked by an empty list.
    let gradients = leaves.map { $0.grad?.scalars.map(\.bitPattern) ?? [] }
    return output.scalars.map(\.bitPattern) + gradients.flatMap { [UInt32($0.count)] + $0 }
  }

  @Test func bitIdenticalToTheChainOfOps() {
    let cases: [(rows: [Int], counts: [Int], tokens: Int)] = [
      (Self.rows, Self.counts, 6),
      // Expert 0 takes every token in order: both paths read the input in place.
      ([0, 1, 2, 3, 4, 5, 3, 1], [6, 0, 2], 6),
    ]
    for (rows, counts, tokens) in cases {
      for inputNeedsGradient in [true, false] {
        for existingGradients in [false, true] {
          let fused = Self.bits(
            Tensor.routedFeedForward, rows: rows, counts: counts, tokens: tokens,
            inputNeedsGradient: inputNeedsGradient, existingGradients: existingGradients)
          let chain = Self.bits(
            Self.chain, rows: rows, counts: counts, tokens: tokens, inputNeedsGradient: inputNeedsGradient,
            existingGradients: existingGradients)
          #expect(
            fused == chain,
            "rows \(rows), input gradient \(inputNeedsGradient), existing gradients \(existingGradients)")
        }
      }
    }
  }

  @Test func valuesOnAHandComputedCase() {
    // One expert 1 -> 1 -> 1 with W1 = 2, b1 = -1, W2 = 3, b2 = 0.5: E(x) = 3 relu(2x - 1) + 0.5.
    let expert = FeedForwardWeights(
      hiddenWeight: Tensor(rows: [[2]]), hiddenBias: Tensor([-1]), outputWeight: Tensor(rows: [[3]]),
      outputBias: Tensor([0.5]))
    let x = Tensor(rows: [[1], [0], [2]])
    // Rows 2 and 0 go to the expert with weights 0.5 and 2; row 1 to no expert.
    let y = Tensor.routedFeedForward(x, rows: [2, 0], counts: [2], weights: Tensor([0.5, 2]), experts: [expert])
    // E(2) = 3 * 3 + 0.5 = 9.5, E(1) = 3 * 1 + 0.5 = 3.5.
    #expect(y.scalars == [2 * 3.5, 0, 0.5 * 9.5])
  }
}
