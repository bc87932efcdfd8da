import NeuralNetworks
import Testing

@Suite struct EmbeddingTests {
  @Test func parametersHavePyTorchNameShapeAndInitialization() {
    var generator = SeededGenerator(seed: 1)
    let embedding = Embedding(1000, 16, using: &generator)
    #expect(embedding.namedParameters.map(\.name) == ["weight"])
    #expect(embedding.weight.shape == [1000, 16])
    #expect(embedding.weight.requiresGrad)
    // N(0, 1): sample mean near 0 and standard deviation near 1 over 16,000 draws.
    let values = embedding.weight.scalars
    let mean = values.reduce(0, +) / Float(values.count)
    let deviation = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)).squareRoot()
    #expect(Swift.abs(mean) < 0.05)
    #expect(Swift.abs(deviation - 1) < 0.05)
  }

  @Test func looksUpRowsInTheGivenShape() {
    var generator = SeededGenerator(seed: 2)
    let embedding = Embedding(5, 3, using: &generator)
    let indices = [4, 0, 2, 2, 1, 4]
    let y = embedding(indices: indices, shape: [2, 3])
    #expect(y.shape == [2, 3, 3])
    let table = embedding.weight.scalars
    for (position, index) in indices.enumerated() {
      #expect(Array(y.scalars[(position * 3)..<(position * 3 + 3)]) == Array(table[(index * 3)..<(index * 3 + 3)]))
    }
    #expect(embedding([3, 1]).shape == [2, 3])
    // The Layer form reads whole-number indices from a tensor.
    #expect(embedding(Tensor(shape: [2, 3], scalars: indices.map(Float.init))).scalars == y.scalars)
  }

  @Test func backwardScatterAddsRows() {
    var generator = SeededGenerator(seed: 3)
    let embedding = Embedding(4, 2, using: &generator)
    let y = embedding(indices: [1, 3, 1], shape: [3])
    (y * Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6])).sum().backward()
    // Row 1 is read twice (positions 0 and 2): its gradient is the sum.
    #expect(embedding.weight.grad!.scalars == [0, 0, 6, 8, 0, 0, 3, 4])
  }

  @Test func gradientCheck() {
    var generator = SeededGenerator(seed: 4)
    let weight = Tensor.normal([6, 3], using: &generator, requiresGrad: true)
    let report = checkGradients(
      of: { t in Embedding(weight: t[0])(indices: [5, 0, 5, 2], shape: [2, 2]) }, at: [weight])
    #expect(report.passes(tolerance: 1e-2), "\(report)")
  }

  @Test func indexOutOfRangeFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let embedding = Embedding(10, 4, using: &generator)
      _ = embedding(indices: [3, 10], shape: [2])
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("error: Embedding(10, 4): index 10 at position 1 is outside 0..<10"), "\(text)")
  }

  @Test func shapeNotMatchingIndicesFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let embedding = Embedding(10, 4, using: &generator)
      _ = embedding(indices: [1, 2, 3], shape: [2, 2])
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("error: Embedding(10, 4): 3 indices do not fill shape [2, 2]"), "\(text)")
  }
}
