import MoE
import NeuralNetworks
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// Rows of a regression data set and the indices of one mini-batch of it.
struct RegressionBatch {
  let inputs: Tensor
  let targets: Tensor
}

/// y = 2 x0 - x1 + 0.5 on 64 seeded points, batched by `MiniBatches`.
struct LinearProblem {
  let inputs: [[Float]]
  let targets: [Float]

  init(seed: UInt64 = 7, count: Int = 64) {
    var generator = SeededGenerator(seed: seed)
    inputs = (0..<count).map { _ in [generator.nextUniform(-1, 1), generator.nextUniform(-1, 1)] }
    targets = inputs.map { 2 * $0[0] - $0[1] + 0.5 }
  }

  func batches(epoch: Int, seed: UInt64, batchSize: Int = 16) throws -> [RegressionBatch] {
    try MiniBatches.indices(count: inputs.count, batchSize: batchSize, seed: seed, epoch: epoch).map { rows in
      RegressionBatch(
        inputs: Tensor(rows: rows.map { inputs[$0] }), targets: Tensor(rows: rows.map { [targets[$0]] }))
    }
  }
}

func isClose(_ a: Double, _ b: Double, tolerance: Double = 1e-6) -> Bool {
  Swift.abs(a - b) <= tolerance * Swift.max(1, Swift.abs(a), Swift.abs(b))
}

/// A fresh path in the system's temporary folder.
func temporaryPath(_ name: String) -> String {
  var generator = SystemRandomNumberGenerator()
  return "/tmp/moe-course-training-tests-\(generator.next() % 1_000_000_000)-\(name)"
}
