import CBLAS
import NeuralNetworks

/// The engine's own workloads: the per-op cost of the tape, a small training step, and GEMM speed.
enum EngineWorkloads {
  /// A tiny element-wise op: what every op costs beyond its arithmetic (allocation, graph record).
  static func perOpOverhead(threads: Int, quick: Bool) -> BenchmarkResults {
    var generator = SeededGenerator(seed: 0)
    let a = Tensor.normal([4], using: &generator)
    let b = Tensor.normal([4], using: &generator)
    let calls = quick ? 1_000 : 20_000
    let noGraph = measure(
      "OP.add_4_no_grad_us.T\(threads)", "per-op: a + b on 4 elements, no graph", repeats: quick ? 5 : 15,
      callsPerSample: calls
    ) { _ = a + b }
    let leaf = Tensor.normal([4], using: &generator, requiresGrad: true)
    let recorded = measure(
      "OP.add_4_forward_backward_us.T\(threads)", "per-op: (x + b).sum() forward + backward, 4 elements",
      repeats: quick ? 5 : 15, callsPerSample: calls / 4
    ) {
      (leaf + b).sum().backward()
    }
    return BenchmarkResults(measurements: [noGraph, recorded])
  }

  /// Element-wise throughput: forward and backward of relu and tanh over a million elements.
  static func elementwise(threads: Int, quick: Bool) -> BenchmarkResults {
    var generator = SeededGenerator(seed: 1)
    let x = Tensor.normal([1024, 1024], using: &generator, requiresGrad: true)
    let y = Tensor.normal([1024, 1024], using: &generator, requiresGrad: true)
    let seed = Tensor.ones([1024, 1024])
    var results = BenchmarkResults()
    for (name, function) in [
      ("relu", { (t: Tensor) in t.relu() }), ("tanh", { (t: Tensor) in t.tanh() }),
      ("multiply", { (t: Tensor) in t * y }),
    ] {
      results.add(
        measure(
          "ELEMENTWISE.\(name)_1M_forward_backward_ms.T\(threads)",
          "elementwise: \(name) on 1M elements, forward + backward", repeats: quick ? 3 : 15
        ) {
          x.zeroGrad()
          y.zeroGrad()
          function(x).backward(seed)
        })
    }
    return results
  }

  /// A 10-20-5 MLP training step at batch 64 with Adam and MSE.
  static func multilayerPerceptronStep(threads: Int, quick: Bool) -> BenchmarkResults {
    var generator = SeededGenerator(seed: 0)
    let model = Sequential(Linear(10, 20, using: &generator), ReLU(), Linear(20, 5, using: &generator))
    let x = Tensor.normal([64, 10], using: &generator)
    let y = Tensor.normal([64, 5], using: &generator)
    let optimizer = Adam(parameters: model.parameters, learningRate: 1e-3)
    let step = measure(
      "MLP.train_step_ms.T\(threads)", "MLP 10-20-5, batch 64, MSE + Adam: train step",
      warmup: 20, repeats: quick ? 5 : 21, callsPerSample: quick ? 20 : 200
    ) {
      optimizer.zeroGrad()
      let loss = meanSquaredError(model(x), y)
      loss.backward()
      optimizer.step()
    }
    return BenchmarkResults(measurements: [step])
  }

  /// Square sgemm through the engine's matmul and through cblas_sgemm directly, samples interleaved
  /// so both see the same machine load. Keys as the PyTorch suite's (`GEMM.torch.n1024.gflops.T1`),
  /// plus `GEMM.engine_over_cblas.n<n>` (throughput ratio, 1 = no engine overhead; from CPU time
  /// at one thread).
  static func matrixMultiplication(threads: Int, quick: Bool) -> BenchmarkResults {
    var results = BenchmarkResults()
    let tag = "T\(threads)"
    for n in quick ? [256, 512, 1024] : [256, 512, 1024, 2048] {
      var generator = SeededGenerator(seed: UInt64(n))
      let a = Tensor.normal([n, n], using: &generator)
      let b = Tensor.normal([n, n], using: &generator)
      let flops = 2 * Double(n) * Double(n) * Double(n)
      var c = [Float](repeating: 0, count: n * n)
      let raw = {
        a.withScalars { x in
          b.withScalars { y in
            c.withUnsafeMutableBufferPointer { z in
              cblas_sgemm(
                CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, x.baseAddress, Int32(n),
                y.baseAddress, Int32(n), 0, z.baseAddress, Int32(n))
            }
          }
        }
      }
      let engine = { _ = a.matmul(b) }
      // At least 50 ms per sample: one call at 2048, many at 256.
      let once = seconds(ContinuousClock().measure { raw() })
      let calls = max(1, Int(0.05 / max(once, 1e-6)))
      let repeats = quick ? 3 : (n >= 2048 ? 5 : 11)
      var engineSamples: [Double] = []
      var rawSamples: [Double] = []
      var engineCPU: [Double] = []
      var rawCPU: [Double] = []
      for _ in 0..<2 {
        engine()
        raw()
      }
      for sample in 0..<repeats {
        // Alternating which goes first, so neither always runs on the caches the other left.
        var engineSample: Measurement
        var rawSample: Measurement
        if sample % 2 == 0 {
          engineSample = measure("", "", warmup: 0, repeats: 1, callsPerSample: calls, engine)
          rawSample = measure("", "", warmup: 0, repeats: 1, callsPerSample: calls, raw)
        } else {
          rawSample = measure("", "", warmup: 0, repeats: 1, callsPerSample: calls, raw)
          engineSample = measure("", "", warmup: 0, repeats: 1, callsPerSample: calls, engine)
        }
        engineSamples += engineSample.samples
        engineCPU += engineSample.cpuSamples
        rawSamples += rawSample.samples
        rawCPU += rawSample.cpuSamples
      }
      let engineResult = Measurement(
        key: "GEMM.engine.n\(n).ms.\(tag)", description: "GEMM \(n): engine matmul", samples: engineSamples,
        cpuSamples: engineCPU, flops: flops)
      let rawResult = Measurement(
        key: "GEMM.cblas.n\(n).ms.\(tag)", description: "GEMM \(n): raw cblas_sgemm", samples: rawSamples,
        cpuSamples: rawCPU, flops: flops)
      results.add(engineResult)
      results.add(rawResult)
      results.add("GEMM.engine.n\(n).gflops.\(tag)", "GEMM \(n): engine GFLOP/s", engineResult.gigaflopsPerSecond!)
      results.add("GEMM.cblas.n\(n).gflops.\(tag)", "GEMM \(n): cblas GFLOP/s", rawResult.gigaflopsPerSecond!)
      // With one thread, process CPU time: other processes on the machine do not enter the ratio.
      let ratio =
        threads == 1
        ? medianOf(rawCPU) / medianOf(engineCPU) : rawResult.median / engineResult.median
      results.add("GEMM.engine_over_cblas.n\(n).\(tag)", "GEMM \(n): engine / raw cblas throughput", ratio)
    }
    return results
  }
}
