import MoE
import NeuralNetworks

#if canImport(Glibc)
  import Glibc
#endif

/// The small dense mixtures of the PyTorch suite: g = softmax(gate(x)), y = sum_e g_e expert_e(x),
/// experts Linear-ReLU-Linear, Adam(lr 1e-3). Models are `MixtureOfExperts` with a `SoftmaxGate`.
enum DenseMixtureWorkloads {
  /// A dense mixture of `count` experts `input -> hidden -> output`; experts first, then the gate.
  static func mixture(
    experts count: Int, input: Int, hidden: Int, output: Int, using generator: inout SeededGenerator
  ) -> MixtureOfExperts {
    let experts = FeedForwardExpert.make(
      count: count, inputSize: input, hiddenSize: hidden, outputSize: output, using: &generator)
    return MixtureOfExperts(
      experts: experts, gate: try! SoftmaxGate(inputSize: input, expertCount: count, using: &generator))
  }

  /// W1: 3 experts 10-20-5, batch 64, MSE; inference at batch 1 and 64.
  static func introduction(threads: Int, quick: Bool) -> BenchmarkResults {
    var generator = SeededGenerator(seed: 0)
    let model = mixture(experts: 3, input: 10, hidden: 20, output: 5, using: &generator)
    let x = Tensor.normal([64, 10], using: &generator)
    let target = Tensor.normal([64, 5], using: &generator)
    let single = Tensor.normal([1, 10], using: &generator)
    let step = TrainingStep(
      name: "W1", description: "W1 dense MoE 3x(10-20-5)", parameters: model.parameters,
      loss: { meanSquaredError(model(x), target) },
      inferences: [(1, { _ = model(single) }), (64, { _ = model(x) })])
    return step.run(threads: threads, quick: quick)
  }

  /// W7: a top gate over 3 groups, each a dense mixture of 2 experts 10-20-5; batch 64, MSE.
  static func hierarchical(threads: Int, quick: Bool) -> BenchmarkResults {
    var generator = SeededGenerator(seed: 0)
    let groups = (0..<3).map { _ in mixture(experts: 2, input: 10, hidden: 20, output: 5, using: &generator) }
    let model = MixtureOfExperts(
      experts: groups, gate: try! SoftmaxGate(inputSize: 10, expertCount: 3, using: &generator))
    let x = Tensor.normal([64, 10], using: &generator)
    let target = Tensor.normal([64, 5], using: &generator)
    let single = Tensor.normal([1, 10], using: &generator)
    let step = TrainingStep(
      name: "W7", description: "W7 hierarchical MoE 3x2", parameters: model.parameters,
      loss: { meanSquaredError(model(x), target) }, inferences: [(1, { _ = model(single) })])
    return step.run(threads: threads, quick: quick)
  }

  /// W2: 5 experts 10-32-1; every epoch draws X ~ N(0, 1) [1000, 10], y = sum(X^2, 1), and takes one
  /// full-batch Adam step. Per-epoch times (drawing X included) and the loss trajectory.
  static func sumOfSquares(threads: Int, quick: Bool) -> BenchmarkResults {
    let tag = "T\(threads)"
    func train(epochs: Int) -> (losses: [Float], timer: StepTimer, total: Double) {
      var generator = SeededGenerator(seed: 0)
      let model = mixture(experts: 5, input: 10, hidden: 32, output: 1, using: &generator)
      let optimizer = Adam(parameters: model.parameters, learningRate: 1e-3)
      var losses: [Float] = []
      var timer = StepTimer()
      let clock = ContinuousClock()
      let start = clock.now
      for _ in 0..<epochs {
        var loss: Tensor? = nil
        timer.time {
          let x = Tensor.normal([1000, 10], using: &generator)
          let y = (x * x).sum(axis: 1, keepDimensions: true)
          optimizer.zeroGrad()
          loss = meanSquaredError(model(x), y)
          loss!.backward()
          optimizer.step()
        }
        losses.append(loss!.item)  // the loss before this epoch's update
      }
      return (losses, timer, seconds(clock.now - start))
    }
    var results = BenchmarkResults()
    _ = train(epochs: 20)  // warm-up: allocator, caches
    let short = train(epochs: 100)
    results.add(short.timer.measurement("W2.run100_epoch_ms_median.\(tag)", "W2 5x(10-32-1): epoch"))
    results.add("W2.run100_total_s.\(tag)", "W2: 100 epochs, total seconds", short.total)
    for epoch in [0, 10, 50, 99] {
      results.add("W2.loss_epoch\(epoch).\(tag)", "W2: loss at epoch \(epoch)", Double(short.losses[epoch]))
    }
    let epochs = quick ? 500 : 2000
    let long = train(epochs: epochs)
    results.add(long.timer.measurement("W2.epoch_ms.\(tag)", "W2: epoch over \(epochs) epochs"))
    results.add("W2.run\(epochs)_total_s.\(tag)", "W2: \(epochs) epochs, total seconds", long.total)
    results.add("W2.run\(epochs)_final_loss.\(tag)", "W2: final loss", Double(long.losses[epochs - 1]))
    let lastHundred = long.losses.suffix(100).reduce(0, +) / 100
    results.add("W2.run\(epochs)_loss_mean_last100.\(tag)", "W2: mean loss, last 100 epochs", Double(lastHundred))
    return results
  }

  /// W3's target, one regime per quadrant of [-1, 1]^2 (x1 + x2; sin(2 pi x1); x1 x2; -1).
  static func regionsTarget(_ points: Tensor) -> Tensor {
    let values = points.withScalars { p in
      (0..<points.shape[0]).map { row -> Float in
        let (x1, x2) = (p[2 * row], p[2 * row + 1])
        switch (x1 >= 0, x2 >= 0) {
        case (true, true): return x1 + x2
        case (false, true): return Float(sin(2 * Double.pi * Double(x1)))
        case (false, false): return x1 * x2
        case (true, false): return -1
        }
      }
    }
    return Tensor(shape: [points.shape[0], 1], scalars: values)
  }

  /// W3: 4 experts 2-20-1 on the four-regime target; 2000 steps of batch 256 (pre-generated);
  /// then the gate's arg-max and the full forward over a 400x400 grid.
  static func regions(threads: Int, quick: Bool) -> BenchmarkResults {
    let tag = "T\(threads)"
    let steps = quick ? 500 : 2000
    var generator = SeededGenerator(seed: 0)
    let model = mixture(experts: 4, input: 2, hidden: 20, output: 1, using: &generator)
    let optimizer = Adam(parameters: model.parameters, learningRate: 1e-3)
    let inputs = (0..<steps).map { _ in Tensor.uniform([256, 2], low: -1, high: 1, using: &generator) }
    let targets = inputs.map(regionsTarget)
    let test = Tensor.uniform([4096, 2], low: -1, high: 1, using: &generator)
    let testTarget = regionsTarget(test)
    // Warm-up on a throwaway copy so the timed run starts from the seeded initialization.
    let warm = mixture(experts: 4, input: 2, hidden: 20, output: 1, using: &generator)
    let warmOptimizer = Adam(parameters: warm.parameters, learningRate: 1e-3)
    for index in 0..<50 {
      warmOptimizer.zeroGrad()
      meanSquaredError(warm(inputs[index]), targets[index]).backward()
      warmOptimizer.step()
    }
    var results = BenchmarkResults()
    var timer = StepTimer()
    for index in 0..<steps {
      timer.time {
        optimizer.zeroGrad()
        meanSquaredError(model(inputs[index]), targets[index]).backward()
        optimizer.step()
      }
    }
    results.add(timer.measurement("W3.train_step_ms.\(tag)", "W3 4x(2-20-1): train step"))
    let testError = withoutGradients { meanSquaredError(model(test), testTarget).item }
    results.add("W3.test_mse_after_\(steps).\(tag)", "W3: test MSE after training", Double(testError))

    let side = 400
    var grid = [Float](repeating: 0, count: side * side * 2)
    for row in 0..<side {
      for column in 0..<side {
        grid[2 * (row * side + column)] = -1 + 2 * Float(column) / Float(side - 1)
        grid[2 * (row * side + column) + 1] = -1 + 2 * Float(row) / Float(side - 1)
      }
    }
    let points = Tensor(shape: [side * side, 2], scalars: grid)
    results.add(
      measureCalibrated(
        "W3.grid_gate_argmax_ms.\(tag)", "W3: gate arg-max over a 400x400 grid", repeats: 7
      ) { _ = withoutGradients { model.gate.route(points).probabilities.argmax(axis: 1) } })
    results.add(
      measureCalibrated("W3.grid_full_forward_ms.\(tag)", "W3: full forward over the grid", warmup: 2, repeats: 5) {
        _ = withoutGradients { model(points) }
      })
    return results
  }
}
