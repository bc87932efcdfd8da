import NeuralNetworks

/// A tiny two-layer model whose parameter names are known: layers.0.weight, layers.0.bias, ...
func makeMultilayerPerceptron(seed: UInt64 = 1) -> Sequential {
  var generator = SeededGenerator(seed: seed)
  return Sequential(Linear(3, 4, using: &generator), ReLU(), Linear(4, 2, using: &generator))
}

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
