/// Where a run's training stands after an optimizer step: the epoch (from 0, over the whole run) and
/// how many of its batches are done. `ExperimentRunner.shouldStop` is asked with it after every step.
public struct TrainingPosition: Sendable, Equatable {
  public let epoch: Int
  /// Steps done in this epoch, 1 after its first batch; equal to `batchCount` after its last.
  public let step: Int
  public let batchCount: Int

  public init(epoch: Int, step: Int, batchCount: Int) {
    self.epoch = epoch
    self.step = step
    self.batchCount = batchCount
  }

  /// True after the epoch's last batch (a stop there still validates and writes the epoch).
  public var endsEpoch: Bool { step == batchCount }
}

/// An epoch stopped between two steps: what `resume` needs besides the parameters, the optimizer's
/// state and the noise states to finish it as if it had never stopped. The batch order is not kept:
/// it is drawn again from the seed and the epoch.
struct EpochInProgress: Codable, Equatable {
  var epoch: Int
  /// Batches already trained on; resume starts with batch number `batchesDone`.
  var batchesDone: Int
  /// The running sums behind the epoch's row of metrics.csv: batch losses, gradient norms before
  /// clipping, and tokens routed to each expert (nil when the forward pass gives no routing record).
  var lossSum: Double
  var gradientNormSum: Double
  var routedCounts: [Int]?
}
