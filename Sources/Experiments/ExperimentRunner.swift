import Datasets
import Foundation
import MoE
import NeuralNetworks
import Plotting
import Support
import Training

/// Trains, checkpoints, resumes and evaluates the mixture a configuration describes, writing the run
/// folder described in `RunFolder`.
///
/// Each epoch is the step of the library's `fit` (clear gradients, forward, cross-entropy plus the
/// configured auxiliary losses, backward, clip, optimizer step), run here batch by batch so that a
/// run can stop after any step; `evaluate` runs on the validation split after every epoch and on
/// the test split at the end. Everything random is drawn from the seed: the split, the initial
/// parameters, each epoch's batch order (a generator seeded by seed and epoch) and the noise of noisy
/// routers (whose state `progress.json` keeps), so `resume` ends with the same parameters, bit for
/// bit, as a run that was never interrupted, whether it stopped at an epoch's end or in its middle.
public final class ExperimentRunner {
  public let configuration: ExperimentConfiguration
  public let tree: ConfigurationTree
  public let folder: RunFolder
  public let quick: Bool
  /// Where progress lines go (the command prints them).
  public var log: (String) -> Void = { print($0) }
  /// Asked after every optimizer step; true stops the run there (Ctrl-C) with `last.safetensors` and
  /// `progress.json` written, so `resume` continues with the next batch. Asked after an epoch's last
  /// batch, the epoch is validated and written first.
  public var shouldStop: (TrainingPosition) -> Bool = { _ in false }
  /// The wall clock of TensorBoard events (fixed in tests).
  public var wallClock: () -> Double = { Date().timeIntervalSince1970 }
  /// Sees every batch (the command draws a progress bar with it on a terminal).
  public var observer: (any TrainingObserver)?
  /// The epoch being trained, counted from 0 over the whole run (also across a resume).
  public private(set) var currentEpoch = 0
  /// The run's number of epochs (2 at most with `quick`).
  public var epochCount: Int { epochs }

  let data: ExperimentData
  let mixture: MixtureOfExperts
  let optimizer: any Optimizer
  let epochs: Int

  public init(tree: ConfigurationTree, folder: RunFolder, quick: Bool) throws {
    self.tree = tree
    configuration = try ExperimentConfiguration(tree: tree)
    self.folder = folder
    self.quick = quick
    epochs = quick ? min(configuration.training.epochs, 2) : configuration.training.epochs
    data = try ExperimentData(configuration.data, seed: configuration.seed, quick: quick)
    mixture = try ExperimentModel.make(
      configuration.model, inputSize: data.training.featureCount, classCount: data.training.classNames.count,
      seed: configuration.seed)
    let rate = Float(configuration.training.learningRate)
    optimizer =
      configuration.training.optimizer == "sgd"
      ? SGD(parameters: mixture.parameters, learningRate: rate)
      : Adam(parameters: mixture.parameters, learningRate: rate)
  }

  /// The loss the run minimizes: cross-entropy of the class logits plus the weighted auxiliary losses.
  func loss(_ batch: LabelledBatch, _ output: Tensor, _ routing: RoutingRecord?) throws -> Tensor {
    var total = crossEntropy(output, labels: batch.labels)
    guard let routing else { return total }
    let weights = configuration.losses
    if weights.loadBalancing != 0 { total = total + Float(weights.loadBalancing) * loadBalancingLoss(routing) }
    if weights.importance != 0 { total = total + Float(weights.importance) * importanceLoss(routing) }
    if weights.load != 0 {
      do {
        total = total + Float(weights.load) * (try loadLoss(routing))
      } catch {
        throw ConfigurationError(
          "losses.load", "\(error.description); set it to 0 for router '\(configuration.model.router)'")
      }
    }
    if weights.zLoss != 0 { total = total + Float(weights.zLoss) * routerZLoss(routing) }
    if weights.entropy != 0 { total = total + Float(weights.entropy) * gateEntropy(routing) }
    if weights.variance != 0 { total = total + Float(weights.variance) * usageVarianceLoss(routing) }
    if weights.gini != 0 { total = total + Float(weights.gini) * giniLoss(routing) }
    if weights.diversity != 0, routing.tokenCount > 1 {
      total = total + Float(weights.diversity) * diversityLoss(routing)
    }
    return total
  }

  func forward(_ batch: LabelledBatch) -> (output: Tensor, routing: RoutingRecord?) {
    let (output, routing) = mixture.forward(batch.inputs)
    return (output, routing)
  }

  /// Validation and test loss is the cross-entropy alone: the auxiliary losses shape training, and
  /// some (the load loss) exist only while the router's noise is on.
  func evaluation(of split: LabelledDataset) throws -> EvaluationReport {
    try evaluate(
      model: mixture, batches: try split.batches(size: 256), forward: forward, labels: { $0.labels },
      classNames: split.classNames, loss: { batch, output, _ in crossEntropy(output, labels: batch.labels) })
  }

  func learningRate(epoch: Int) -> Float {
    let peak = Float(configuration.training.learningRate)
    guard configuration.training.schedule == "cosine", epochs > 1 else { return peak }
    return CosineDecay(peak: peak, totalSteps: epochs)(epoch)
  }

  // MARK: - Checkpoints

  func checkpointTensors() -> [(name: String, tensor: Tensor)] {
    var tensors = mixture.stateTensors
    if let adam = optimizer as? Adam { tensors += adam.stateTensors(for: mixture.namedParameters) }
    return tensors
  }

  func saveCheckpoint(to path: String) throws {
    try SafeTensors.write(checkpointTensors(), metadata: ["format": "pt", "producer": "moe-experiment"], to: path)
  }

  /// Loads parameters (and, with `optimizerState`, Adam's state) from a checkpoint of this run.
  func loadCheckpoint(from path: String, optimizerState: Bool) throws {
    let tensors = try SafeTensors.read(from: path).tensors
    try mixture.load(tensors, from: path, otherPrefixes: ["optimizer."])
    if optimizerState, let adam = optimizer as? Adam {
      try adam.loadState(
        Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.tensor) }), for: mixture.namedParameters)
    }
  }

  // MARK: - Running

  /// Trains from the first epoch (a new run) or from where `progress.json` says (`resume`).
  /// Returns the summary when the run finished, nil when it was stopped.
  @discardableResult
  public func run(resuming: Bool, overwrite: Bool = false) throws -> ExperimentSummary? {
    var progress: RunProgress
    let events: EventFileWriter
    if resuming {
      try folder.requireRun()
      progress = try JSONDecoder().decode(RunProgress.self, from: Data(try folder.read(folder.progress).utf8))
      if progress.finished { throw ExperimentError.alreadyFinished(path: folder.path, epochs: progress.epochsDone) }
      try loadCheckpoint(from: folder.lastCheckpoint, optimizerState: true)
      for (source, words) in zip(mixture.noiseSources, progress.noiseStates) {
        if let generator = SeededGenerator(stateWords: words) { source.noiseGenerator = generator }
      }
      guard let path = folder.eventFile else {
        throw ExperimentError.notARunFolder(path: folder.path, missing: "event file")
      }
      events = try EventFileWriter(appendingTo: path)
      if let partial = progress.epochInProgress {
        log("resuming \(folder.path) in epoch \(partial.epoch) after batch \(partial.batchesDone)")
      } else {
        log("resuming \(folder.path) after epoch \(progress.epochsDone) of \(epochs)")
      }
    } else {
      try folder.prepareNew(overwrite: overwrite)
      try folder.write(tree.yaml(), to: folder.configuration)
      try folder.write(MetricsTable.header(expertCount: mixture.experts.count) + "\n", to: folder.metrics)
      events = try EventFileWriter(folder: folder.path, wallTime: wallClock())
      progress = RunProgress(
        epochsDone: 0, bestEpoch: nil, bestValidationLoss: nil, epochsWithoutImprovement: 0, stoppedEarly: false,
        finished: false, noiseStates: mixture.noiseSources.map(\.noiseGenerator.stateWords), quick: quick)
      log(
        "run \(folder.path): \(configuration.model.router), \(mixture.experts.count) experts, "
          + "\(mixture.parameterCount) parameters, \(data.training.count) training images, \(epochs) epochs")
    }

    let clipping = configuration.training.gradientClipping > 0 ? Float(configuration.training.gradientClipping) : nil
    while progress.epochsDone < epochs && !progress.stoppedEarly {
      let epoch = progress.epochsDone
      currentEpoch = epoch
      optimizer.learningRate = learningRate(epoch: epoch)
      let start =
        progress.epochInProgress
        ?? EpochInProgress(
          epoch: epoch, batchesDone: 0, lossSum: 0, gradientNormSum: 0, routedCounts: nil)
      let (state, batchCount, stopRequested) = try train(epoch: epoch, from: start, clipping: clipping)
      if state.batchesDone < batchCount {
        progress.epochInProgress = state
        progress.noiseStates = mixture.noiseSources.map(\.noiseGenerator.stateWords)
        try saveCheckpoint(to: folder.lastCheckpoint)
        try folder.write(try jsonText(progress), to: folder.progress)
        log(
          "stopped in epoch \(epoch) after batch \(state.batchesDone) of \(batchCount) with last.safetensors "
            + "written; continue with: moe-experiment resume \(folder.path)")
        return nil
      }
      progress.epochInProgress = nil
      let report = try evaluation(of: data.validation)
      let stepCount = Double(max(batchCount, 1))
      let record = EpochRecord(
        epoch: epoch, trainingLoss: state.lossSum / stepCount, learningRate: optimizer.learningRate,
        gradientNorm: clipping == nil ? nil : state.gradientNormSum / stepCount,
        validation: ["validation_loss": report.loss ?? .nan, "validation_accuracy": report.accuracy ?? .nan],
        expertUtilization: state.routedCounts.map { shares(of: $0) })
      observer?.epochDidEnd(record)
      let validationLoss = report.loss ?? .infinity
      progress.epochsDone = epoch + 1
      if progress.bestValidationLoss.map({ validationLoss < $0 }) ?? true {
        progress.bestValidationLoss = validationLoss
        progress.bestEpoch = epoch
        progress.epochsWithoutImprovement = 0
        try saveCheckpoint(to: folder.bestCheckpoint)
      } else {
        progress.epochsWithoutImprovement += 1
        let patience = configuration.training.earlyStoppingPatience
        if patience > 0 && progress.epochsWithoutImprovement >= patience { progress.stoppedEarly = true }
      }
      progress.noiseStates = mixture.noiseSources.map(\.noiseGenerator.stateWords)
      let row = MetricsTable.row(epoch: epoch, record, validation: report, expertCount: mixture.experts.count)
      try append(row + "\n", to: folder.metrics)
      try events.add(scalars: MetricsTable.scalars(record, validation: report), step: epoch, wallTime: wallClock())
      try events.flush()
      try saveCheckpoint(to: folder.lastCheckpoint)
      try folder.write(try jsonText(progress), to: folder.progress)
      log(
        "epoch \(epoch): training loss \(NumberFormat.fixed(record.trainingLoss, decimals: 4)), validation loss "
          + "\(NumberFormat.fixed(validationLoss, decimals: 4)), accuracy "
          + "\(NumberFormat.fixed(report.accuracy ?? .nan, decimals: 3))")
      if progress.epochsDone < epochs && !progress.stoppedEarly && stopRequested {
        log(
          "stopped after epoch \(epoch) with last.safetensors written; continue with: moe-experiment resume \(folder.path)"
        )
        return nil
      }
    }
    progress.finished = true
    try folder.write(try jsonText(progress), to: folder.progress)
    return try finish(progress: progress)
  }

  /// Trains on the batches of `epoch` from `state.batchesDone` on, one step of `fit` each: clear the
  /// gradients, forward, loss, backward, clip the global norm, step. Returns after the last batch, or
  /// earlier when `shouldStop` says so, with the sums of the batches done.
  func train(epoch: Int, from state: EpochInProgress, clipping: Float?) throws -> (
    state: EpochInProgress, batchCount: Int, stopRequested: Bool
  ) {
    var order = SeededGenerator(seed: configuration.seed &+ 1000 &+ UInt64(epoch))
    let batches = try data.training.batches(size: configuration.training.batchSize, using: &order)
    var state = state
    mixture.train()
    for index in state.batchesDone..<batches.count {
      let batch = batches[index]
      optimizer.zeroGrad()
      let (output, routing) = forward(batch)
      let value = try loss(batch, output, routing)
      let scalar = value.item
      if !scalar.isFinite { throw TrainingError.nonFiniteLoss(epoch: epoch, batch: index, value: scalar) }
      value.backward()
      if let clipping {
        state.gradientNormSum += Double(
          clipGradientNorm(optimizer.parameters.filter(\.requiresGrad), maxNorm: clipping))
      }
      optimizer.step()
      state.lossSum += Double(scalar)
      if let routing {
        // The auxiliary-loss-free gates (biasBalancedTopK) move their selection bias after each step.
        try mixture.updateSelectionBiases(from: routing)
        accumulate(routing.tokensPerExpert, into: &state.routedCounts)
      }
      state.batchesDone = index + 1
      observer?.batchDidEnd(epoch: epoch, batch: index, of: batches.count, loss: scalar)
      let position = TrainingPosition(epoch: epoch, step: index + 1, batchCount: batches.count)
      if shouldStop(position) { return (state, batches.count, true) }
    }
    return (state, batches.count, false)
  }

  /// Adds per-expert counts into a running total, as `fit` does (a longer row widens the total).
  func accumulate(_ counts: [Int], into total: inout [Int]?) {
    var sums = total ?? []
    if sums.count < counts.count { sums += [Int](repeating: 0, count: counts.count - sums.count) }
    for index in counts.indices { sums[index] += counts[index] }
    total = sums
  }

  func append(_ text: String, to path: String) throws {
    guard let handle = FileHandle(forWritingAtPath: path) else {
      throw ExperimentError.cannotWrite(path: path, reason: "cannot open for appending")
    }
    defer { try? handle.close() }
    try handle.seekToEnd()
    try handle.write(contentsOf: Data(text.utf8))
  }

  /// Evaluates the best parameters on the test split, writes the summary, the test report and the figures.
  func finish(progress: RunProgress) throws -> ExperimentSummary {
    let lastValidation = try evaluation(of: data.validation)
    try loadCheckpoint(from: folder.bestCheckpoint, optimizerState: false)
    let test = try evaluation(of: data.test)
    try test.writeCSV(to: folder.testReport)
    mixture.eval()  // the routing of evaluation: no noise
    let (_, routing) = withoutGradients { mixture.forward(data.test.inputs) }
    let summary = ExperimentSummary(
      name: (folder.path as NSString).lastPathComponent, router: configuration.model.router,
      epochsRun: progress.epochsDone, stoppedEarly: progress.stoppedEarly, bestEpoch: progress.bestEpoch ?? 0,
      bestValidationLoss: progress.bestValidationLoss ?? .nan,
      lastValidationLoss: lastValidation.loss ?? .nan, lastValidationAccuracy: lastValidation.accuracy ?? .nan,
      testLoss: test.loss ?? .nan, testAccuracy: test.accuracy ?? .nan,
      parameterCount: mixture.parameterCount,
      activeParametersPerInput: ExperimentModel.activeParameterCount(mixture, routing: routing),
      expertUtilization: test.routing?.routed.shares ?? [], quick: quick)
    try folder.write(try jsonText(summary), to: folder.summary)
    try RunFigures.write(folder: folder, test: test, gateProbabilities: routing.probabilities)
    log(
      "test accuracy \(NumberFormat.fixed(summary.testAccuracy, decimals: 3)) (best epoch \(summary.bestEpoch)); "
        + "wrote \(folder.path)")
    return summary
  }

  /// Re-evaluates the run's best parameters on its test split (`moe-experiment evaluate`).
  public func evaluateBest() throws -> EvaluationReport {
    try folder.requireRun()
    try loadCheckpoint(from: folder.bestCheckpoint, optimizerState: false)
    return try evaluation(of: data.test)
  }
}
