import NeuralNetworks
import Testing
import Training

@testable import Lessons

/// `chapter.fitProgress`: the per-epoch lines of a `fit` run follow the same schedule as a hand-written
/// loop's, the run's final epoch gets its line when early stopping ends it, and the bar is erased.
@Suite struct FitProgressTests {
  /// Fits y = 2x with a one-weight Linear for `epochs`, observed by `observer`.
  func train(epochs: Int, observer: FitProgress, earlyStopping: EarlyStopping? = nil, validation: [Double] = [])
    throws -> TrainingHistory
  {
    var generator = SeededGenerator(seed: 5)
    let model = Linear(1, 1, using: &generator)
    let optimizer = SGD(parameters: model.parameters, learningRate: 0.1)
    let x = Tensor(shape: [4, 1], scalars: [-1, -0.5, 0.5, 1])
    return try fit(
      model: model, optimizer: optimizer, epochs: epochs, batches: { _ in [x] }, forward: { (model($0), nil) },
      loss: { batch, output, _ in meanSquaredError(output, batch * 2) },
      options: TrainingOptions(earlyStopping: earlyStopping),
      validate: validation.isEmpty ? nil : { epoch in ["error": validation[epoch]] }, observer: observer)
  }

  @Test func linesAtTheFirstEpochEveryIntervalAndTheLast() throws {
    let streams = RecordedStreams()
    let observer = FitProgress(interval: 4, line: { "epoch \($0.epoch)" }, drawsBar: false, output: streams.output)
    _ = try train(epochs: 10, observer: observer)
    #expect(streams.lines == ["epoch 0", "epoch 4", "epoch 8", "epoch 9"])
    #expect(streams.barWrites.isEmpty)
  }

  @Test func earlyStoppingPrintsTheEpochTheRunEndedOn() throws {
    let streams = RecordedStreams()
    let observer = FitProgress(interval: 4, line: { "epoch \($0.epoch)" }, drawsBar: false, output: streams.output)
    // The error stops improving after epoch 1; patience 2 ends the run after epoch 3.
    let history = try train(
      epochs: 10, observer: observer, earlyStopping: EarlyStopping(metric: "error", goal: .minimize, patience: 2),
      validation: [5, 4, 4, 4, 4, 4, 4, 4, 4, 4])
    #expect(history.stoppedEarly)
    #expect(history.epochs.last?.epoch == 3)
    #expect(streams.lines == ["epoch 0", "epoch 3"])
  }

  @Test func theBarIsDrawnAndErasedAroundTheLines() throws {
    let streams = RecordedStreams()
    let observer = FitProgress(interval: 2, line: { "epoch \($0.epoch)" }, drawsBar: true, output: streams.output)
    _ = try train(epochs: 3, observer: observer)
    #expect(streams.lines == ["epoch 0", "epoch 2"])
    #expect(streams.barWrites.first?.contains("epoch 0") == true)
    #expect(streams.barWrites.last == "\r\u{1B}[K")
  }
}
