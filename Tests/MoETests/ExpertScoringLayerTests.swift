import MoE
import Testing

@Suite struct ExpertScoringLayerTests {
  @Test func everyRouterReportsTheScoringLayersWeightAndBiasAsItsOwn() throws {
    for name in RouterRegistry.names {
      var generator = SeededGenerator(seed: 5)
      let router = try RouterRegistry.make(
        name, options: DispatchEquivalenceTests.everyRouterOptions, using: &generator)
      let names = router.namedParameters.map(\.name)
      #expect(Array(names.prefix(2)) == ["weight", "bias"], "\(name): \(names)")
      #expect(!names.contains { $0.hasPrefix("scores.") }, "\(name): \(names)")
      guard let scoring = router as? any ScoringRouter else {
        Issue.record("\(name) has no scoring layer")
        continue
      }
      #expect(scoring.weight === scoring.scores.weight)
    }
  }

  @Test func theScoresAreTheAffineMapAndInitializeLikeLinear() throws {
    var generator = SeededGenerator(seed: 9)
    let layer = try ExpertScoringLayer(inputSize: 2, expertCount: 3, using: &generator)
    var same = SeededGenerator(seed: 9)
    let linear = Linear(2, 3, using: &same)
    #expect(layer.weight.scalars == linear.weight.scalars)
    #expect(layer.bias.scalars == linear.bias!.scalars)
    set(layer.weight, [1, 0, 0, 1, 1, -1])
    set(layer.bias, [0, 1, 2])
    // x = (2, 3): s = (2, 3 + 1, 2 - 3 + 2).
    #expect(layer(Tensor(rows: [[2, 3]]), router: "test").scalars == [2, 4, 1])
  }

  @Test func addingARowKeepsTheOthersAndDrawsTheNewOneLikeLinear() throws {
    var generator = SeededGenerator(seed: 2)
    let layer = try ExpertScoringLayer(inputSize: 4, expertCount: 2, using: &generator)
    let (oldWeight, oldBias) = (layer.weight, layer.bias)
    var expected = generator
    let change = layer.addRow(using: &generator)
    #expect(layer.expertCount == 3)
    #expect(Array(layer.weight.scalars.prefix(8)) == oldWeight.scalars)
    #expect(Array(layer.bias.scalars.prefix(2)) == oldBias.scalars)
    let bound: Float = 1 / 2
    let newRow = Tensor.uniform([1, 4], low: -bound, high: bound, using: &expected)
    let newBias = Tensor.uniform([1], low: -bound, high: bound, using: &expected)
    #expect(Array(layer.weight.scalars.suffix(4)) == newRow.scalars)
    #expect(layer.bias.scalars.last == newBias.scalars[0])
    #expect(change.removed.map(ObjectIdentifier.init) == [oldWeight, oldBias].map(ObjectIdentifier.init))
    #expect(change.added.map(ObjectIdentifier.init) == [layer.weight, layer.bias].map(ObjectIdentifier.init))
    #expect(layer.weight.requiresGrad && layer.bias.requiresGrad)
  }

  @Test func removingARowShiftsTheLaterExpertsDown() throws {
    var generator = SeededGenerator(seed: 2)
    let layer = try ExpertScoringLayer(inputSize: 2, expertCount: 3, using: &generator)
    set(layer.weight, [1, 2, 3, 4, 5, 6])
    set(layer.bias, [7, 8, 9])
    _ = try layer.removeRow(at: 1)
    #expect(layer.weight.scalars == [1, 2, 5, 6])
    #expect(layer.bias.scalars == [7, 9])
    #expect(throws: MoEConfigurationError.self) { try layer.removeRow(at: 2) }
  }
}
