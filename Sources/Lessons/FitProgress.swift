import Training

extension Chapter {
  /// An observer for `fit` that prints the chapter's per-epoch lines, as `progress(_:every:)` does for a
  /// hand-written loop: `line(record)` at the first epoch, every `interval` epochs after it and at the
  /// last one (also when early stopping ends the run sooner), and a bar on standard error while `fit`
  /// runs on an interactive terminal (never in a lesson's captured output).
  ///
  ///     let history = try fit(
  ///       model: mixture, optimizer: optimizer, epochs: epochs, batches: batches, forward: forward,
  ///       loss: loss, observer: chapter.fitProgress(every: 10) { record in
  ///         "epoch \(record.epoch): loss \(format(record.trainingLoss, decimals: 4))"
  ///       })
  public func fitProgress(every interval: Int, line: @escaping (EpochRecord) -> String) -> FitProgress {
    FitProgress(interval: interval, line: line, drawsBar: ProgressBar.drawsOnThisTerminal, output: .standardStreams)
  }
}

/// The `TrainingObserver` of `Chapter.fitProgress(every:line:)`.
public final class FitProgress: TrainingObserver {
  let interval: Int
  let line: (EpochRecord) -> String
  let drawsBar: Bool
  let output: ProgressOutput
  private var iterator: TrainingProgress.Iterator?
  private var current: TrainingStep?
  private var lastLoggedEpoch: Int?

  init(interval: Int, line: @escaping (EpochRecord) -> String, drawsBar: Bool, output: ProgressOutput) {
    guard interval > 0 else { lessonFailure("fitProgress(every:) needs a positive interval, got \(interval)") }
    self.interval = interval
    self.line = line
    self.drawsBar = drawsBar
    self.output = output
  }

  public func trainingWillStart(epochs: Int) {
    var iterator = TrainingProgress(epochs: 0..<epochs, interval: interval, drawsBar: drawsBar, output: output)
      .makeIterator()
    current = iterator.next()
    self.iterator = iterator
    lastLoggedEpoch = nil
  }

  public func epochDidEnd(_ record: EpochRecord) {
    if let step = current, step.isReportDue {
      step.log(line(record))
      lastLoggedEpoch = record.epoch
    }
    current = iterator?.next()
  }

  public func trainingDidEnd(_ history: TrainingHistory) {
    iterator?.bar?.erase()
    iterator = nil
    current = nil
    // Early stopping: the epoch the run ended on gets its line too.
    if let last = history.epochs.last, last.epoch != lastLoggedEpoch {
      output.printLine(line(last))
      lastLoggedEpoch = last.epoch
    }
  }
}
