import NeuralNetworks
import Testing

final class Expert: Module {
  let layers: [any Layer]
  let scale: Tensor
  init(generator: inout SeededGenerator) {
    layers = [Linear(2, 3, using: &generator), ReLU(), Linear(3, 1, bias: false, using: &generator)]
    scale = Tensor.ones([1], requiresGrad: true)
  }
}

final class TwoExperts: Module {
  let experts: [Expert]
  let gate: Linear
  init(generator: inout SeededGenerator) {
    experts = [Expert(generator: &generator), Expert(generator: &generator)]
    gate = Linear(2, 2, using: &generator)
  }
}

@Suite struct ModuleTests {
  @Test func parametersAreNamedByDottedPathsInDeclarationOrder() {
    var generator = SeededGenerator(seed: 3)
    let model = TwoExperts(generator: &generator)
    let names = model.namedParameters.map(\.name)
    #expect(
      names == [
        "experts.0.scale", "experts.0.layers.0.weight", "experts.0.layers.0.bias", "experts.0.layers.2.weight",
        "experts.1.scale", "experts.1.layers.0.weight", "experts.1.layers.0.bias", "experts.1.layers.2.weight",
        "gate.weight", "gate.bias",
      ])
    #expect(model.parameterCount == 2 * (1 + 6 + 3 + 3) + 6)
  }

  @Test func sequentialNamesFollowPyTorchLayout() {
    let model = makeMultilayerPerceptron()
    #expect(
      model.namedParameters.map(\.name) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])
    #expect(model.namedParameters.map(\.tensor.shape) == [[4, 3], [4], [2, 4], [2]])
    // A bare Sequential names its layers by index, as nn.Sequential's state_dict does.
    #expect(model.layers.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
  }

  @Test func zeroGradClearsEveryParameter() {
    let model = makeMultilayerPerceptron()
    model(Tensor.ones([5, 3])).sum().backward()
    #expect(model.parameters.allSatisfy { $0.grad != nil })
    model.zeroGrad()
    #expect(model.parameters.allSatisfy { $0.grad == nil })
  }
}

@Suite struct LinearTests {
  @Test func defaultInitializationIsBoundedLikePyTorch() {
    var generator = SeededGenerator(seed: 9)
    let layer = Linear(16, 8, using: &generator)
    let bound: Float = 1 / 4
    #expect(layer.weight.scalars.allSatisfy { Swift.abs($0) <= bound })
    #expect(layer.bias!.scalars.allSatisfy { Swift.abs($0) <= bound })
    // Not degenerate: the values spread over most of the interval.
    #expect(layer.weight.scalars.max()! > 0.2 && layer.weight.scalars.min()! < -0.2)
  }

  @Test func computesAffineMapOnBatchesAndSequences() {
    let layer = Linear(
      weight: Tensor(rows: [[1, 2], [3, 4], [5, 6]]), bias: Tensor([0.5, -0.5, 1]))
    let y = layer(Tensor(rows: [[1, 1], [2, -1]]))
    #expect(y.shape == [2, 3])
    #expect(y.scalars == [3.5, 6.5, 12, 0.5, 1.5, 5])
    let sequence = layer(Tensor.ones([4, 5, 2]))
    #expect(sequence.shape == [4, 5, 3])
  }

  @Test func gradientsMatchFiniteDifferences() {
    var generator = SeededGenerator(seed: 4)
    let layer = Linear(5, 3, using: &generator)
    let x = Tensor.normal([4, 5], using: &generator, requiresGrad: true)
    let report = checkGradients(
      of: { inputs in Tensor.affine(inputs[0], weight: inputs[1], bias: inputs[2]).tanh() },
      at: [x, layer.weight, layer.bias!])
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }

  @Test func wrongInputSizeNamesBothSizes() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let layer = Linear(10, 20, using: &generator)
      _ = layer(Tensor.zeros([64, 7]))
    }.map { result in
      let text = String(decoding: result.standardErrorContent, as: UTF8.self)
      #expect(text.contains("Linear(10 -> 20): input of shape [64, 7]"), "\(text)")
    }
  }
}
