/// What went wrong configuring or running training; every case names the option, metric or file.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  /// An option of `fit`, `evaluate` or `AccuracyMatrix` out of its range.
  case invalidOption(name: String, value: String, rule: String)
  /// Early stopping watches a metric the validation closure did not return.
  case missingMetric(name: String, epoch: Int, available: [String])
  /// The loss of a batch is NaN or infinite: training has diverged.
  case nonFiniteLoss(epoch: Int, batch: Int, value: Float)
  /// A batch's labels do not fit its output or the classes.
  case inconsistentBatch(batch: Int, detail: String)
  case cannotWrite(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidOption(let name, let value, let rule): return "\(name) = \(value) \(rule)"
    case .missingMetric(let name, let epoch, let available):
      return
        "early stopping watches '\(name)' but validation at epoch \(epoch) returned \(available.isEmpty ? "no metrics" : available.joined(separator: ", "))"
    case .nonFiniteLoss(let epoch, let batch, let value):
      return "the loss of batch \(batch) at epoch \(epoch) is \(value): training diverged"
    case .inconsistentBatch(let batch, let detail): return "batch \(batch): \(detail)"
    case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
    }
  }
}
