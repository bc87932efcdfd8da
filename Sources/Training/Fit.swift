import MoE
import NeuralNetworks

/// Trains `model` for up to `epochs` epochs and returns what happened, one row per epoch.
///
/// Each epoch: the learning rate is set from the schedule; for each batch of `batches(epoch)`,
/// gradients are cleared, `forward` runs, `loss(batch, output, routing)` is back-propagated, the
/// global gradient norm is clipped (optional) and the optimizer steps. Then `validate(epoch)` runs
/// (wrap it in `evaluate`, which switches to evaluation mode and turns gradients off) and early
/// stopping decides whether to go on. The loss closure sees the routing record, so an auxiliary
/// loss is one term:
///
///     loss: { batch, output, routing in
///       crossEntropy(output, labels: batch.labels) + 0.01 * loadBalancingLoss(routing!) }
///
/// The model is in training mode while it trains and gets its previous mode back at the end.
/// Nothing is printed: progress goes to `observer`. With early stopping and
/// `restoresBestParameters`, the best epoch's parameter and buffer values are copied back.
/// Deterministic: the same model, batches and closures give the same history.
@discardableResult
public func fit<Batch>(
  model: any Module,
  optimizer: any Optimizer,
  epochs: Int,
  batches: (_ epoch: Int) throws -> [Batch],
  forward: (Batch) throws -> (output: Tensor, routing: RoutingRecord?),
  loss: (_ batch: Batch, _ output: Tensor, _ routing: RoutingRecord?) throws -> Tensor,
  options: TrainingOptions = TrainingOptions(),
  validate: ((_ epoch: Int) throws -> [String: Double])? = nil,
  observer: (any TrainingObserver)? = nil
) throws -> TrainingHistory {
  try options.validate(epochs: epochs, hasValidation: validate != nil)
  let wasTraining = model.isTraining
  defer { model.setTraining(wasTraining) }
  var history = TrainingHistory()
  var best: (value: Double, snapshot: ParameterSnapshot?)? = nil
  var epochsWithoutImprovement = 0
  var globalStep = 0
  observer?.trainingWillStart(epochs: epochs)

  for epoch in 0..<epochs {
    model.train()
    if let schedule = options.schedule, options.scheduleUnit == .epoch { optimizer.learningRate = schedule(epoch) }
    let epochBatches = try batches(epoch)
    var lossSum = 0.0
    var normSum = 0.0
    var epochLearningRate: Float? = nil
    var routedCounts: [Int]? = nil

    for (index, batch) in epochBatches.enumerated() {
      if let schedule = options.schedule, options.scheduleUnit == .step {
        optimizer.learningRate = schedule(globalStep)
      }
      if epochLearningRate == nil { epochLearningRate = optimizer.learningRate }
      optimizer.zeroGrad()
      let (output, routing) = try forward(batch)
      let value = try loss(batch, output, routing)
      let scalar = value.item
      if !scalar.isFinite { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: index, value: scalar) }
      value.backward()
      if let maximumNorm = options.maximumGradientNorm {
        normSum += Double(clipGradientNorm(optimizer.parameters.filter(\.requiresGrad), maxNorm: maximumNorm))
      }
      optimizer.step()
      globalStep += 1
      lossSum += Double(scalar)
      if let routing { accumulate(routing.tokensPerExpert, into: &routedCounts) }
      observer?.batchDidEnd(epoch: epoch, batch: index, of: epochBatches.count, loss: scalar)
    }

    let metrics = try validate?(epoch) ?? [:]
    let stepCount = Double(Swift.max(epochBatches.count, 1))
    let record = EpochRecord(
      epoch: epoch, trainingLoss: lossSum / stepCount, learningRate: epochLearningRate ?? optimizer.learningRate,
      gradientNorm: options.maximumGradientNorm == nil ? nil : normSum / stepCount, validation: metrics,
      expertUtilization: routedCounts.map { shares(of: $0) })
    history.epochs.append(record)

    var stop = false
    if let stopping = options.earlyStopping {
      guard let value = metrics[stopping.metric] else {
        throw TrainingError.missingMetric(name: stopping.metric, epoch: epoch, available: metrics.keys.sorted())
      }
      if stopping.improves(value, on: best?.value) {
        best = (value, stopping.restoresBestParameters ? ParameterSnapshot(of: model) : nil)
        history.bestEpoch = epoch
        epochsWithoutImprovement = 0
      } else {
        epochsWithoutImprovement += 1
        stop = epochsWithoutImprovement >= stopping.patience
      }
    }
    observer?.epochDidEnd(record)
    if stop {
      history.stoppedEarly = epoch < epochs - 1
      break
    }
  }

  best?.snapshot?.restore()
  observer?.trainingDidEnd(history)
  return history
}

/// Adds per-expert counts into a running total; a mixture that grew mid-epoch widens the total.
private func accumulate(_ counts: [Int], into total: inout [Int]?) {
  var sums = total ?? []
  if sums.count < counts.count { sums += [Int](repeating: 0, count: counts.count - sums.count) }
  for index in counts.indices { sums[index] += counts[index] }
  total = sums
}
