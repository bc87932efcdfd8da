import NeuralNetworks

/// A tiny two-layer model that keeps its `Sequential` in a property `layers`, as the slides'
/// `ExpertNetwork` does, so its parameter names are layers.0.weight, layers.0.bias, layers.2.weight, ...
final class MultilayerPerceptron: Layer {
  let layers: Sequential
  init(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    layers = Sequential(Linear(3, 4, using: &generator), ReLU(), Linear(4, 2, using: &generator))
  }
  func callAsFunction(_ input: Tensor) -> Tensor { layers(input) }
}

func makeMultilayerPerceptron(seed: UInt64 = 1) -> MultilayerPerceptron { MultilayerPerceptron(seed: seed) }

/// A fresh path in the system's temporary folder.
func temporaryPath(_ name: String) -> String {
  var generator = SystemRandomNumberGenerator()
  return "/tmp/moe-course-tests-\(generator.next() % 1_000_000_000)-\(name)"
}

func isClose(_ a: Float, _ b: Float, tolerance: Float = 1e-5) -> Bool {
  Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(a), Swift.abs(b))
}

func allClose(_ a: [Float], _ b: [Float], tolerance: Float = 1e-5) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { isClose($0, $1, tolerance: tolerance) }
}
