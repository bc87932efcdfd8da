extension Chapter {
  /// The epochs of a training loop, with a report line every `interval` epochs and a progress bar on a
  /// terminal:
  ///
  ///     for step in chapter.progress(0..<epochs, every: 50) {
  ///       let loss = trainOneEpoch()
  ///       step.log("epoch \(step.epoch): loss \(format(loss, decimals: 4))")
  ///     }
  ///
  /// `step.log` prints its line on standard output at the first epoch, every `interval` epochs after it
  /// and at the last epoch; other epochs skip it without building the text. While the loop runs on an
  /// interactive terminal, a bar on standard error shows how far it got, and is erased when the loop ends.
  /// When the output is piped or captured for a lesson page, there is no bar: the printed lines are the
  /// same in every run.
  public func progress(_ epochs: Range<Int>, every interval: Int) -> TrainingProgress {
    TrainingProgress(epochs: epochs, interval: interval)
  }

  /// The epochs of a training loop, `0...200` style (see the `Range` overload).
  public func progress(_ epochs: ClosedRange<Int>, every interval: Int) -> TrainingProgress {
    TrainingProgress(epochs: epochs.lowerBound..<(epochs.upperBound + 1), interval: interval)
  }
}

/// The epochs of a training loop; see `Chapter.progress(_:every:)`.
public struct TrainingProgress: Sequence {
  /// The epochs the loop visits, in order.
  public let epochs: Range<Int>
  /// A report line is printed every `interval` epochs (and at the last one).
  public let interval: Int

  /// Whether the loop draws a bar: by default, when the output is an interactive terminal.
  let drawsBar: Bool
  let output: ProgressOutput

  init(
    epochs: Range<Int>, interval: Int, drawsBar: Bool = ProgressBar.drawsOnThisTerminal,
    output: ProgressOutput = .standardStreams
  ) {
    guard interval > 0 else { lessonFailure("progress(every:) needs a positive interval, got \(interval)") }
    self.epochs = epochs
    self.interval = interval
    self.drawsBar = drawsBar
    self.output = output
  }

  /// Starts the loop; the bar, when there is one, appears with the first epoch.
  public func makeIterator() -> Iterator {
    Iterator(progress: self, bar: drawsBar ? ProgressBar(total: epochs.count, output: output) : nil)
  }

  /// Steps through the epochs, drawing the bar when there is one.
  public struct Iterator: IteratorProtocol {
    let progress: TrainingProgress
    let bar: ProgressBar?
    var upcoming: Int

    init(progress: TrainingProgress, bar: ProgressBar?) {
      self.progress = progress
      self.bar = bar
      upcoming = progress.epochs.lowerBound
    }

    /// The next epoch, or nil (and the bar erased) after the last one.
    public mutating func next() -> TrainingStep? {
      guard upcoming < progress.epochs.upperBound else {
        bar?.erase()
        return nil
      }
      let epoch = upcoming
      upcoming += 1
      let offset = epoch - progress.epochs.lowerBound
      // The epoch in progress, of the last one: the percentage counts the epochs already done, so the
      // last epoch reads "epoch 99 of 99 [...-] 99%" while it trains, not as a finished 100%.
      bar?.update(completed: offset, label: "epoch \(epoch) of \(progress.epochs.upperBound - 1)")
      return TrainingStep(
        epoch: epoch, isLast: epoch == progress.epochs.upperBound - 1,
        isReportDue: offset % progress.interval == 0 || epoch == progress.epochs.upperBound - 1, bar: bar,
        output: progress.output)
    }
  }
}

/// One epoch of a `TrainingProgress` loop.
public struct TrainingStep: CustomStringConvertible {
  /// The epoch number, from the range given to `progress(_:every:)`.
  public let epoch: Int
  /// True for the loop's last epoch.
  public let isLast: Bool
  /// True when `log` prints at this epoch: the first, every `interval`-th after it, and the last.
  public let isReportDue: Bool
  let bar: ProgressBar?
  let output: ProgressOutput

  /// The epoch number, so that `"\(step)"` reads as the epoch.
  public var description: String { String(epoch) }

  /// Prints `line` on standard output when a report is due at this epoch; otherwise does nothing and
  /// does not build the text.
  public func log(_ line: @autoclosure () -> String) {
    guard isReportDue else { return }
    let text = line()
    if let bar {
      bar.printAbove(text)
    } else {
      output.printLine(text)
    }
  }
}
