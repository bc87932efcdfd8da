import MoE
import NeuralNetworks

/// W4: top-k mixtures at scale: d = 256, experts Linear(256, 512)-ReLU-Linear(512, 256), gate
/// Linear(256, E), E in {8, 32, 64}, k in {1, 2}; 1024 tokens x ~ N(0, 1) that need gradients (as
/// inside a network); MSE to a random target; forward + backward, no optimizer.
///
/// - `sparse`: the library's sparse dispatch (tokens grouped by expert, one block per expert).
/// - `naive`: every expert on every token, combined with the top-k weights (zeros elsewhere).
/// - `dense_all_softmax` (E = 8, k = 1): a softmax gate over all experts, every expert on every token.
/// - `sparse.sgemm_only`: the six sgemm calls per expert that sparse dispatch makes, alone, with the
///   routing's token counts: the floor of a step that multiplies expert by expert through OpenBLAS;
///   `sparse.sgemm_share` is its share of the sparse step.
///
/// FLOPs as in the PyTorch suite: a (token, expert) pair costs 2 (256 * 512 + 512 * 256) forward,
/// the gate 2 * 1024 * 256 * E, and forward + backward 3x forward.
enum SparseMixtureWorkload {
  static func run(threads: Int, quick: Bool) -> BenchmarkResults {
    let tag = "T\(threads)"
    let (width, hidden, tokens) = (256, 512, 1024)
    let pairFlops = Double(2 * (width * hidden + hidden * width))
    var results = BenchmarkResults()
    var sparseTimes: [Int: (wall: Double, cpu: Double)] = [:]
    for experts in quick ? [8, 32] : [8, 32, 64] {
      for k in [1, 2] {
        var generator = SeededGenerator(seed: 0)
        let expertLayers = FeedForwardExpert.make(
          count: experts, inputSize: width, hiddenSize: hidden, outputSize: width, using: &generator)
        let gate = try! TopKGate(inputSize: width, expertCount: experts, k: k, using: &generator)
        let sparse = MixtureOfExperts(experts: expertLayers, gate: gate, dispatch: .sparse)
        let naive = MixtureOfExperts(experts: expertLayers, gate: gate, dispatch: .dense)
        let x = Tensor.normal([tokens, width], using: &generator, requiresGrad: true)
        let target = Tensor.normal([tokens, width], using: &generator)
        let gateFlops = Double(2 * tokens * width * experts)
        let useful = 3 * (Double(tokens * k) * pairFlops + gateFlops)
        let all = 3 * (Double(tokens * experts) * pairFlops + gateFlops)
        let prefix = "W4.E\(experts).k\(k)"
        results.add("\(prefix).flops_useful", "\(prefix): useful FLOPs", useful)
        results.add("\(prefix).flops_all_experts", "\(prefix): FLOPs of all experts", all)
        if threads == 1 {
          withoutGradients {
            let loads = gate.route(x).assignments.tokensPerExpert
            results.add(
              "\(prefix).tokens_per_expert_min", "\(prefix): fewest tokens of an expert", Double(loads.min()!))
            results.add("\(prefix).tokens_per_expert_max", "\(prefix): most tokens of an expert", Double(loads.max()!))
            let difference = (sparse(x) - naive(x)).abs().max().item
            results.add("\(prefix).max_abs_diff_sparse_vs_naive", "\(prefix): max |sparse - naive|", Double(difference))
          }
        }
        var variants: [(name: String, model: MixtureOfExperts, flops: Double)] = [
          ("naive", naive, all), ("sparse", sparse, useful),
        ]
        if experts == 8 && k == 1 {
          let softmaxGate = try! SoftmaxGate(inputSize: width, expertCount: experts, using: &generator)
          variants.append(("dense_all_softmax", MixtureOfExperts(experts: expertLayers, gate: softmaxGate), all))
        }
        for (name, model, flops) in variants {
          let parameters = model.parameters
          let step = {
            for parameter in parameters { parameter.zeroGrad() }
            x.zeroGrad()
            meanSquaredError(model(x), target).backward()
          }
          let heavy = name != "sparse"
          let key = "\(prefix).\(name).fwd_bwd_ms.\(tag)"
          let description = "W4 E=\(experts) k=\(k) \(name): forward + backward"
          let result =
            heavy
            ? measure(key, description, warmup: 1, repeats: quick ? 2 : 3, flops: flops, step)
            : measureCalibrated(
              key, description, warmup: 2, repeats: quick ? 3 : 5, minimumTime: quick ? 0.1 : 0.3, flops: flops, step)
          results.add(result)
          let seconds = result.median * 1e-3
          results.add(
            "\(prefix).\(name).gflops_executed.\(tag)", "\(prefix) \(name): executed GFLOP/s", flops / seconds / 1e9)
          results.add(
            "\(prefix).\(name).gflops_useful.\(tag)", "\(prefix) \(name): useful GFLOP/s", useful / seconds / 1e9)
          if name == "sparse" && k == 2 { sparseTimes[experts] = (result.median, medianOf(result.cpuSamples)) }
          if name == "sparse" {
            let loads = withoutGradients { gate.route(x).assignments.tokensPerExpert }
            let products = ExpertProducts(experts: expertLayers, rows: loads.max() ?? 0)
            let gemms = measureCalibrated(
              "\(prefix).sparse.sgemm_only_ms.\(tag)", "W4 E=\(experts) k=\(k) sparse: its sgemm calls alone",
              warmup: 2, repeats: quick ? 3 : 5, minimumTime: quick ? 0.1 : 0.3,
              flops: 3 * Double(tokens * k) * pairFlops
            ) { products.run(loads: loads) }
            results.add(gemms)
            results.add(
              "\(prefix).sparse.sgemm_share.\(tag)", "\(prefix) sparse: share of the step in sgemm",
              gemms.median / result.median)
          }
        }
      }
    }
    if let small = sparseTimes[8], let large = sparseTimes[64] {
      results.add("W4.k2.sparse.growth_E8_to_E64.\(tag)", "W4 k=2 sparse: time E=64 / E=8", large.wall / small.wall)
      results.add(
        "W4.k2.sparse.growth_E8_to_E64_cpu.\(tag)", "W4 k=2 sparse: CPU time E=64 / E=8", large.cpu / small.cpu)
    }
    return results
  }
}

/// The six sgemm calls per expert of sparse dispatch's forward + backward (two affine maps, their
/// input and weight gradients), with the routing's token counts, on the experts' own weights: the
/// time a step cannot go below while it multiplies expert by expert through OpenBLAS. Activations
/// and weight gradients are buffers of the same shapes, one pair of weight gradients per expert
/// (so they compete for the caches as in the mixture); their values stay small.
private final class ExpertProducts {
  let experts: [FeedForwardExpert]
  let width: Int
  let hidden: Int
  let input, hiddenActivations, output, hiddenGradient, inputGradient: UnsafeMutablePointer<Float>
  let hiddenWeightGradients, outputWeightGradients: [UnsafeMutablePointer<Float>]

  init(experts: [FeedForwardExpert], rows: Int) {
    self.experts = experts
    width = experts[0].inputSize
    hidden = experts[0].hiddenSize
    func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
      let pointer = UnsafeMutablePointer<Float>.allocate(capacity: count)
      pointer.initialize(repeating: 1e-3, count: count)
      return pointer
    }
    input = buffer(rows * width)
    hiddenActivations = buffer(rows * hidden)
    output = buffer(rows * width)
    hiddenGradient = buffer(rows * hidden)
    inputGradient = buffer(rows * width)
    let weightSize = width * hidden
    hiddenWeightGradients = experts.map { _ in buffer(weightSize) }
    outputWeightGradients = experts.map { _ in buffer(weightSize) }
  }

  deinit {
    for pointer in [input, hiddenActivations, output, hiddenGradient, inputGradient] + hiddenWeightGradients
      + outputWeightGradients
    {
      pointer.deallocate()
    }
  }

  func run(loads: [Int]) {
    let (x, h, y, dh) = (input, hiddenActivations, output, hiddenGradient)
    for (expert, count) in loads.enumerated() where count > 0 {
      experts[expert].hidden.weight.withScalars { w1 in
        experts[expert].output.weight.withScalars { w2 in
          let (w1, w2) = (w1.baseAddress!, w2.baseAddress!)
          // Forward: h = x W1^T, y = h W2^T (the bias rows already in place: beta 1).
          sgemm(transposeB: true, m: count, n: hidden, k: width, a: x, b: w1, beta: 1, c: h)
          sgemm(transposeB: true, m: count, n: width, k: hidden, a: h, b: w2, beta: 1, c: y)
          // Backward: dh = dy W2, dW2 += dy^T h, dx = dh W1, dW1 += dh^T x.
          sgemm(m: count, n: hidden, k: width, a: y, b: w2, beta: 0, c: dh)
          sgemm(
            transposeA: true, m: width, n: hidden, k: count, a: y, b: h, beta: 1, c: outputWeightGradients[expert])
          sgemm(m: count, n: width, k: hidden, a: dh, b: w1, beta: 0, c: inputGradient)
          sgemm(
            transposeA: true, m: hidden, n: width, k: count, a: dh, b: x, beta: 1, c: hiddenWeightGradients[expert])
        }
      }
    }
  }
}
