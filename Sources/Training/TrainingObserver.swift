/// Receives a training loop's progress, to print lines or draw a bar; `fit` itself prints nothing.
///
/// Every method has an empty default, so an observer implements only what it shows.
public protocol TrainingObserver: AnyObject {
  /// Before the first epoch: how many epochs at most will run.
  func trainingWillStart(epochs: Int)
  /// After each optimizer step: the epoch, the batch's index and count, the batch's loss.
  func batchDidEnd(epoch: Int, batch: Int, of batchCount: Int, loss: Float)
  /// After each epoch (and its validation) with the epoch's row of the history.
  func epochDidEnd(_ record: EpochRecord)
  /// After the last epoch (and after the best parameters were restored).
  func trainingDidEnd(_ history: TrainingHistory)
}

extension TrainingObserver {
  public func trainingWillStart(epochs: Int) {}
  public func batchDidEnd(epoch: Int, batch: Int, of batchCount: Int, loss: Float) {}
  public func epochDidEnd(_ record: EpochRecord) {}
  public func trainingDidEnd(_ history: TrainingHistory) {}
}

/// An observer made of a closure per epoch, for the common case of one progress line per epoch.
public final class EpochObserver: TrainingObserver {
  private let onEpoch: (EpochRecord) -> Void

  public init(_ onEpoch: @escaping (EpochRecord) -> Void) { self.onEpoch = onEpoch }

  public func epochDidEnd(_ record: EpochRecord) { onEpoch(record) }
}
