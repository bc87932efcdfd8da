import NeuralNetworks

/// The reference suite's `training_step_metrics` (Scripts/pytorch_reference): a training step (zero
/// grads, loss, backward, Adam) timed with a calibrated loop, its forward / backward / Adam split, and
/// no-grad inference latencies.
///
/// Keys: `<name>.train_step_ms.T<n>`, `.fwd_ms`, `.bwd_ms`, `.adam_ms`, `.infer_b<batch>_ms`, `.n_params`.
struct TrainingStep {
  let name: String
  let description: String
  let parameters: [Tensor]
  let loss: () -> Tensor
  /// (batch size, forward without gradients) pairs timed as `infer_b<batch>_ms`.
  var inferences: [(batch: Int, body: () -> Void)] = []

  func run(threads: Int, quick: Bool) -> BenchmarkResults {
    var results = BenchmarkResults()
    let tag = "T\(threads)"
    let optimizer = Adam(parameters: parameters, learningRate: 1e-3)
    let step = {
      optimizer.zeroGrad()
      loss().backward()
      optimizer.step()
    }
    let stepResult = measureCalibrated(
      "\(name).train_step_ms.\(tag)", "\(description): train step", warmup: 10, repeats: quick ? 5 : 9,
      minimumTime: quick ? 0.05 : 0.15, step)
    results.add(stepResult)

    // The split: median of each phase over separately timed steps.
    let stepSeconds = stepResult.median * 1e-3
    let splitSteps = Int(min(quick ? 50 : 200, max(20, (quick ? 0.5 : 1.5) / max(stepSeconds, 1e-7))))
    var forward = StepTimer()
    var backward = StepTimer()
    var update = StepTimer()
    for _ in 0..<splitSteps {
      var value: Tensor? = nil
      forward.time {
        optimizer.zeroGrad()
        value = loss()
      }
      backward.time { value!.backward() }
      update.time { optimizer.step() }
    }
    results.add(forward.measurement("\(name).fwd_ms.\(tag)", "\(description): forward + loss"))
    results.add(backward.measurement("\(name).bwd_ms.\(tag)", "\(description): backward"))
    results.add(update.measurement("\(name).adam_ms.\(tag)", "\(description): Adam step"))

    for (batch, body) in inferences {
      results.add(
        measureCalibrated(
          "\(name).infer_b\(batch)_ms.\(tag)", "\(description): inference, batch \(batch)", warmup: 20,
          repeats: quick ? 5 : 9, minimumTime: quick ? 0.05 : 0.1
        ) { withoutGradients { body() } })
    }
    results.add("\(name).n_params", "\(description): parameters", Double(parameters.reduce(0) { $0 + $1.count }))
    return results
  }
}
