import MoE
import NeuralNetworks
import Testing
import Training

@Suite struct FitTests {
  @Test func fitReducesTheLossOfASmallRegression() throws {
    let problem = LinearProblem()
    var generator = SeededGenerator(seed: 1)
    let model = Linear(2, 1, using: &generator)
    let history = try fit(
      model: model, optimizer: Adam(parameters: model.parameters, learningRate: 0.05), epochs: 40,
      batches: { try problem.batches(epoch: $0, seed: 3) },
      forward: { (model($0.inputs), nil) },
      loss: { batch, output, _ in meanSquaredError(output, batch.targets) })
    #expect(history.epochs.count == 40)
    #expect(history.epochs.map(\.epoch) == Array(0..<40))
    #expect(history.trainingLosses.last! < history.trainingLosses.first! * 0.01, "\(history.trainingLosses)")
    #expect(history.epochs.allSatisfy { $0.expertUtilization == nil && $0.gradientNorm == nil })
    #expect(!history.stoppedEarly && history.bestEpoch == nil)
  }

  /// Validation returns a scripted sequence; the parameters after each epoch are kept to compare.
  @Test func earlyStoppingStopsAtTheRightEpochAndRestoresTheBestParameters() throws {
    let problem = LinearProblem()
    var generator = SeededGenerator(seed: 2)
    let model = Linear(2, 1, using: &generator)
    let script: [Double] = [5, 3, 4, 2, 2.5, 2.0, 9, 1]
    var parametersAfter: [[[Float]]] = []
    let history = try fit(
      model: model, optimizer: SGD(parameters: model.parameters, learningRate: 0.1), epochs: script.count,
      batches: { try problem.batches(epoch: $0, seed: 3) },
      forward: { (model($0.inputs), nil) },
      loss: { batch, output, _ in meanSquaredError(output, batch.targets) },
      options: TrainingOptions(earlyStopping: EarlyStopping(metric: "error", goal: .minimize, patience: 3)),
      validate: { epoch in
        parametersAfter.append(model.parameters.map(\.scalars))
        return ["error": script[epoch]]
      })
    // Best 2 at epoch 3; 2.5, 2.0 (not strictly better) and 9 make three epochs without improvement.
    #expect(history.epochs.count == 7)
    #expect(history.bestEpoch == 3 && history.stoppedEarly)
    #expect(history.validation("error") == [5, 3, 4, 2, 2.5, 2.0, 9])
    #expect(model.parameters.map(\.scalars) == parametersAfter[3])
    #expect(parametersAfter[3] != parametersAfter[6], "training went on after the best epoch")
  }

  @Test func earlyStoppingCanMaximizeAndKeepTheLastParameters() throws {
    let problem = LinearProblem()
    var generator = SeededGenerator(seed: 2)
    let model = Linear(2, 1, using: &generator)
    let script: [Double] = [0.5, 0.7, 0.71, 0.70]
    var last: [[Float]] = []
    let history = try fit(
      model: model, optimizer: SGD(parameters: model.parameters, learningRate: 0.1), epochs: 10,
      batches: { try problem.batches(epoch: $0, seed: 3) },
      forward: { (model($0.inputs), nil) },
      loss: { batch, output, _ in meanSquaredError(output, batch.targets) },
      options: TrainingOptions(
        earlyStopping: EarlyStopping(
          metric: "accuracy", goal: .maximize, patience: 2, minimumImprovement: 0.05, restoresBestParameters: false)),
      validate: { epoch in
        last = model.parameters.map(\.scalars)
        return ["accuracy": epoch < script.count ? script[epoch] : 0]
      })
    // 0.71 improves on 0.7 by less than 0.05: epochs 2 and 3 fail, stop after epoch 3.
    #expect(history.epochs.count == 4 && history.bestEpoch == 1)
    #expect(model.parameters.map(\.scalars) == last)
  }

  /// One SGD step at rate 1 on a dense mixture: the load-balancing term changes the gate's
  /// gradient (and so its step), and the loss closure receives the mixture's own record.
  @Test func theLossClosureSeesTheRoutingRecordAndAnAuxiliaryLossChangesTheGradient() throws {
    func gateAfterOneStep(auxiliaryWeight: Float) throws -> (gate: [Float], history: TrainingHistory) {
      var generator = SeededGenerator(seed: 5)
      let experts = (0..<3).map { _ in Linear(2, 1, using: &generator) as any Layer }
      let mixture = MixtureOfExperts(
        experts: experts, gate: try SoftmaxGate(inputSize: 2, expertCount: 3, using: &generator))
      let batch = RegressionBatch(
        inputs: Tensor(rows: [[1, 0], [0, 1], [1, 1]]), targets: Tensor(rows: [[1], [0], [2]]))
      var seenTokens: [Int] = []
      let history = try fit(
        model: mixture, optimizer: SGD(parameters: mixture.parameters, learningRate: 1), epochs: 1,
        batches: { _ in [batch] },
        forward: { batch in
          let (output, routing) = mixture.forward(batch.inputs)
          return (output, routing)
        },
        loss: { batch, output, routing in
          seenTokens.append(routing!.tokenCount)
          return meanSquaredError(output, batch.targets) + auxiliaryWeight * importanceLoss(routing!)
        })
      #expect(seenTokens == [3])
      return (mixture.gate.parameters.flatMap(\.scalars), history)
    }
    let (plain, history) = try gateAfterOneStep(auxiliaryWeight: 0)
    let (balanced, _) = try gateAfterOneStep(auxiliaryWeight: 1)
    #expect(plain != balanced)
    // A dense gate routes every token to every expert: each expert's share is 1/3.
    let utilization = try #require(history.epochs[0].expertUtilization)
    #expect(utilization.count == 3 && utilization.allSatisfy { isClose($0, 1.0 / 3) })
  }

  /// w = 0, x = 1, y = 10: the gradient of (w x - y)^2 is -20; clipped to norm 0.5, SGD at rate 1
  /// moves w to 0.5 * 20 / (20 + 1e-6) instead of 20.
  @Test func gradientClippingIsApplied() throws {
    let model = Linear(weight: Tensor(rows: [[0]], requiresGrad: true), bias: nil)
    let batch = RegressionBatch(inputs: Tensor(rows: [[1]]), targets: Tensor(rows: [[10]]))
    let history = try fit(
      model: model, optimizer: SGD(parameters: model.parameters, learningRate: 1), epochs: 1,
      batches: { _ in [batch] }, forward: { (model($0.inputs), nil) },
      loss: { batch, output, _ in meanSquaredError(output, batch.targets) },
      options: TrainingOptions(maximumGradientNorm: 0.5))
    #expect(isClose(Double(model.weight.scalars[0]), 0.5 * 20 / (20 + 1e-6), tolerance: 1e-6))
    #expect(isClose(history.epochs[0].gradientNorm!, 20, tolerance: 1e-6))
    #expect(history.trainingLosses == [100])
  }

  @Test func theScheduleSetsTheLearningRatePerEpochOrPerStep() throws {
    let problem = LinearProblem(count: 32)
    var generator = SeededGenerator(seed: 2)
    let model = Linear(2, 1, using: &generator)
    let optimizer = SGD(parameters: model.parameters, learningRate: 1)
    let schedule = StepDecay(initial: 0.1, stepSize: 2, gamma: 0.5)
    func run(_ unit: ScheduleUnit) throws -> [Float] {
      try fit(
        model: model, optimizer: optimizer, epochs: 5,
        batches: { try problem.batches(epoch: $0, seed: 3) },  // two batches of 16 per epoch
        forward: { (model($0.inputs), nil) },
        loss: { batch, output, _ in meanSquaredError(output, batch.targets) },
        options: TrainingOptions(schedule: schedule, scheduleUnit: unit)
      ).learningRates
    }
    #expect(try run(.epoch) == [0.1, 0.1, 0.05, 0.05, 0.025])
    // Steps 0, 2, 4, 6, 8 start the epochs.
    #expect(try run(.step) == [0.1, 0.05, 0.025, 0.0125, 0.00625])
    #expect(optimizer.learningRate == schedule(9))
  }

  @Test func theSameSeedGivesTheSameHistory() throws {
    func history(seed: UInt64) throws -> TrainingHistory {
      let problem = LinearProblem()
      var generator = SeededGenerator(seed: seed)
      let model = Sequential(Linear(2, 8, using: &generator), Tanh(), Linear(8, 1, using: &generator))
      return try fit(
        model: model, optimizer: Adam(parameters: model.parameters, learningRate: 0.01), epochs: 5,
        batches: { try problem.batches(epoch: $0, seed: seed) },
        forward: { (model($0.inputs), nil) },
        loss: { batch, output, _ in meanSquaredError(output, batch.targets) },
        validate: { _ in ["weight_sum": Double(model.parameters[0].scalars.reduce(0, +))] })
    }
    #expect(try history(seed: 11) == history(seed: 11))
    #expect(try history(seed: 11) != history(seed: 12))
  }

  @Test func theObserverHearsEveryBatchAndEpochAndFitPrintsNothingItself() throws {
    final class Recorder: TrainingObserver {
      var events: [String] = []
      func trainingWillStart(epochs: Int) { events.append("start \(epochs)") }
      func batchDidEnd(epoch: Int, batch: Int, of batchCount: Int, loss: Float) {
        events.append("batch \(epoch).\(batch)/\(batchCount)")
      }
      func epochDidEnd(_ record: EpochRecord) { events.append("epoch \(record.epoch)") }
      func trainingDidEnd(_ history: TrainingHistory) { events.append("end \(history.epochs.count)") }
    }
    let problem = LinearProblem(count: 32)
    var generator = SeededGenerator(seed: 2)
    let model = Linear(2, 1, using: &generator)
    let recorder = Recorder()
    var lines: [String] = []
    for observer in [recorder, EpochObserver { lines.append("epoch \($0.epoch)") }] as [any TrainingObserver] {
      try fit(
        model: model, optimizer: SGD(parameters: model.parameters, learningRate: 0.1), epochs: 2,
        batches: { try problem.batches(epoch: $0, seed: 3) }, forward: { (model($0.inputs), nil) },
        loss: { batch, output, _ in meanSquaredError(output, batch.targets) }, observer: observer)
    }
    #expect(
      recorder.events == [
        "start 2", "batch 0.0/2", "batch 0.1/2", "epoch 0", "batch 1.0/2", "batch 1.1/2", "epoch 1", "end 2",
      ])
    #expect(lines == ["epoch 0", "epoch 1"])
  }

  @Test func badOptionsAndMissingMetricsAreNamed() throws {
    let model = Linear(weight: Tensor(rows: [[0]], requiresGrad: true), bias: nil)
    let batch = RegressionBatch(inputs: Tensor(rows: [[1]]), targets: Tensor(rows: [[10]]))
    func run(_ options: TrainingOptions, validate: ((Int) -> [String: Double])?) throws {
      try fit(
        model: model, optimizer: SGD(parameters: model.parameters, learningRate: 0.01), epochs: 2,
        batches: { _ in [batch] }, forward: { (model($0.inputs), nil) },
        loss: { batch, output, _ in meanSquaredError(output, batch.targets) }, options: options, validate: validate)
    }
    let stopping = EarlyStopping(metric: "accuracy", goal: .maximize, patience: 1)
    #expect(throws: TrainingError.missingMetric(name: "accuracy", epoch: 0, available: ["loss"])) {
      try run(TrainingOptions(earlyStopping: stopping), validate: { _ in ["loss": 1] })
    }
    do {
      try run(TrainingOptions(earlyStopping: stopping), validate: nil)
      Issue.record("early stopping without validation was accepted")
    } catch {
      #expect("\(error)" == "fit: earlyStopping.metric = 'accuracy' needs a validate closure that returns it")
    }
    #expect(
      throws: TrainingError.invalidOption(name: "fit: maximumGradientNorm", value: "0.0", rule: "must be positive")
    ) {
      try run(TrainingOptions(maximumGradientNorm: 0), validate: nil)
    }
  }

  @Test func aDivergingLossStopsTrainingWithItsEpochAndBatch() {
    let model = Linear(weight: Tensor(rows: [[0]], requiresGrad: true), bias: nil)
    let batch = RegressionBatch(inputs: Tensor(rows: [[1]]), targets: Tensor(rows: [[10]]))
    #expect(throws: TrainingError.nonFiniteLoss(epoch: 0, batch: 1, value: .infinity)) {
      var calls = 0
      try fit(
        model: model, optimizer: SGD(parameters: model.parameters, learningRate: 0.01), epochs: 2,
        batches: { _ in [batch, batch] }, forward: { (model($0.inputs), nil) },
        loss: { batch, output, _ in
          calls += 1
          return calls == 2
            ? meanSquaredError(output, batch.targets) * Float.infinity : meanSquaredError(output, batch.targets)
        })
    }
  }

  @Test func seededMiniBatchesCoverEveryRowOnceAndChangeWithTheEpoch() throws {
    let first = try MiniBatches.indices(count: 10, batchSize: 4, seed: 1, epoch: 0)
    #expect(first.map(\.count) == [4, 4, 2])
    #expect(first.flatMap { $0 }.sorted() == Array(0..<10))
    #expect(try MiniBatches.indices(count: 10, batchSize: 4, seed: 1, epoch: 0) == first)
    #expect(try MiniBatches.indices(count: 10, batchSize: 4, seed: 1, epoch: 1) != first)
    #expect(
      try MiniBatches.indices(count: 10, batchSize: 4, seed: 1, epoch: 0, dropsLast: true).map(\.count) == [4, 4])
    #expect(throws: TrainingError.self) { try MiniBatches.indices(count: 10, batchSize: 0, seed: 1, epoch: 0) }
  }

  /// A layer that counts the batches it saw in a buffer; early stopping at epoch 0 must bring the
  /// count back to that epoch's value, as it does the weights.
  @Test func earlyStoppingRestoresBuffersAndFitRestoresTheTrainingMode() throws {
    final class CountingLayer: Layer {
      let inner: Linear
      let batchesSeen = Buffer(Tensor([0]))
      init(_ inner: Linear) { self.inner = inner }
      func callAsFunction(_ input: Tensor) -> Tensor {
        batchesSeen.value = batchesSeen.value + 1
        return inner(input)
      }
    }
    let problem = LinearProblem(count: 32)
    var generator = SeededGenerator(seed: 2)
    let model = Sequential(CountingLayer(Linear(2, 1, using: &generator)), Dropout(probability: 0.1, seed: 1))
    let counter = model.layers[0] as! CountingLayer
    let dropout = model.layers[1] as! Dropout
    var modesSeen: [Bool] = []
    model.eval()
    let history = try fit(
      model: model, optimizer: SGD(parameters: model.parameters, learningRate: 0.1), epochs: 5,
      batches: { try problem.batches(epoch: $0, seed: 3) },  // two batches per epoch
      forward: { batch in
        modesSeen.append(dropout.isTraining)
        return (model(batch.inputs), nil)
      },
      loss: { batch, output, _ in meanSquaredError(output, batch.targets) },
      options: TrainingOptions(earlyStopping: EarlyStopping(metric: "m", goal: .minimize, patience: 2)),
      validate: { epoch in ["m": epoch == 0 ? 0 : 1] })
    #expect(history.epochs.count == 3 && history.bestEpoch == 0)
    #expect(counter.batchesSeen.value.scalars == [2])
    #expect(modesSeen == [Bool](repeating: true, count: 6))
    #expect(!model.isTraining)
  }
}
