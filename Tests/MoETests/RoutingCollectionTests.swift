import MoE
import Testing

/// x + f(x), the residual block of a transformer layer.
final class ResidualBlock: Layer {
  let inner: any Layer
  init(_ inner: any Layer) { self.inner = inner }
  func callAsFunction(_ input: Tensor) -> Tensor { input + inner(input) }
}

@Suite struct RoutingCollectionTests {
  /// A top-1 gate over two experts on one feature: expert 0 where x > cut, expert 1 below.
  static func gate(cut: Float, seed: UInt64) throws -> TopKGate {
    var generator = SeededGenerator(seed: seed)
    let gate = try TopKGate(inputSize: 1, expertCount: 2, k: 1, using: &generator)
    set(gate.weight, [1, -1])
    set(gate.bias, [-cut, cut])
    return gate
  }

  static func leaves(_ count: Int, seed: UInt64) -> [any Layer] {
    var generator = SeededGenerator(seed: seed)
    return FeedForwardExpert.make(count: count, inputSize: 1, hiddenSize: 3, outputSize: 1, using: &generator)
  }

  @Test func recordsOfMixturesInsideContainersAreCollectedInCallOrder() throws {
    var generator = SeededGenerator(seed: 4)
    let first = MixtureOfExperts(
      experts: Self.leaves(2, seed: 1), gate: try SoftmaxGate(inputSize: 1, expertCount: 2, using: &generator))
    let second = MixtureOfExperts(experts: Self.leaves(2, seed: 2), gate: try Self.gate(cut: 0, seed: 3))
    let linear = Linear(1, 1, using: &generator)
    let model = Sequential(linear, first, ResidualBlock(second))
    let x = Tensor(rows: [[3], [-1], [1], [5]])

    let (output, records) = collectRouting { model(x) }
    #expect(records.count == 2)
    let hidden = linear(x)
    let (firstOutput, firstRouting) = first.forward(hidden)
    let secondRouting = second.forward(firstOutput).routing
    #expect(records[0].combineMatrix.scalars == firstRouting.combineMatrix.scalars)
    #expect(records[0].expertCount == 2 && records[0].computeFraction == 1)
    #expect(records[1].expertsPerToken == secondRouting.expertsPerToken)
    #expect(records[1].combineMatrix.scalars == secondRouting.combineMatrix.scalars)
    #expect(output.scalars == model(x).scalars)
  }

  @Test func collectionsNestAndNothingIsKeptOutsideOne() throws {
    let mixture = MixtureOfExperts(experts: Self.leaves(2, seed: 1), gate: try Self.gate(cut: 0, seed: 3))
    let x = Tensor(rows: [[1], [-1]])
    _ = mixture(x)
    let (inner, outer) = collectRouting { () -> [RoutingRecord] in
      _ = mixture(x)
      return collectRouting { _ = mixture(x) }.records
    }
    #expect(inner.count == 1)
    #expect(outer.count == 1)
  }

  /// Three levels: the top gate sends x > 0 to expert 0, a mixture that sends x > 2 to its expert
  /// 0, a mixture that sends x > 4 to its expert 0. x = 3, -1, 1, 5, -2.
  @Test func nestedRecordsMapBackToTheTopLevelRows() throws {
    let bottom = MixtureOfExperts(experts: Self.leaves(2, seed: 5), gate: try Self.gate(cut: 4, seed: 6))
    let middle = MixtureOfExperts(
      experts: [bottom] + Self.leaves(1, seed: 7), gate: try Self.gate(cut: 2, seed: 8))
    let top = MixtureOfExperts(experts: [middle] + Self.leaves(1, seed: 9), gate: try Self.gate(cut: 0, seed: 10))
    let routing = top.forward(Tensor(rows: [[3], [-1], [1], [5], [-2]])).routing

    #expect(routing.leafAssignments == [[[0, 0, 1]], [[1]], [[0, 1]], [[0, 0, 0]], [[1]]])
    let levels = routing.nestedLevels
    #expect(levels.map(\.path) == [[0], [0, 0]])
    #expect(levels.map(\.topLevelRows) == [[0, 2, 3], [0, 3]])
    // The middle level's own rows of the bottom mixture are 0 and 2 (its rows of x = 3 and 5).
    #expect(routing.nested[0]?.record.nested[0]?.tokens == [0, 2])
  }

  /// Top-2 over two experts, one of them a mixture: every row goes down both branches.
  @Test func aRowRoutedToSeveralExpertsHasOnePathPerExpert() throws {
    var generator = SeededGenerator(seed: 12)
    let inner = MixtureOfExperts(experts: Self.leaves(2, seed: 5), gate: try Self.gate(cut: 0, seed: 6))
    let outer = MixtureOfExperts(
      experts: Self.leaves(1, seed: 7) + [inner],
      gate: try TopKGate(inputSize: 1, expertCount: 2, k: 2, using: &generator))
    let routing = outer.forward(Tensor(rows: [[1], [-1]])).routing
    #expect(routing.leafAssignments == [[[0], [1, 0]], [[0], [1, 1]]])
  }
}
