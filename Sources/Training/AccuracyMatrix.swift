/// The accuracy matrix of continual learning: R[i][j] is the accuracy on task j after training on
/// tasks 0...i in order (one row per task trained so far, one column per task).
///
/// With k rows (tasks 0..<k trained, the last one k - 1), in the papers' notation with T = k:
/// - average accuracy (Chaudhry et al. 2018): A = (1 / T) sum over j < T of R[T-1][j], the mean of
///   the last row over the tasks trained so far (the whole last row once every task is trained);
/// - forgetting (Chaudhry et al. 2018): F = mean over j < T - 1 of
///   (max over i < T - 1 of R[i][j]) - R[T-1][j], how far each earlier task fell from its best;
/// - backward transfer (Lopez-Paz and Ranzato 2017): BWT = mean over j < T - 1 of
///   R[T-1][j] - R[j][j], negative when learning later tasks hurt earlier ones.
/// Forgetting and backward transfer need two trained tasks and are nil before.
public struct AccuracyMatrix: Codable, Equatable, Sendable {
  public let taskCount: Int
  /// R, one row per task trained so far.
  public private(set) var rows: [[Double]] = []

  public init(taskCount: Int) throws(TrainingError) {
    if taskCount < 1 {
      throw .invalidOption(name: "AccuracyMatrix: taskCount", value: "\(taskCount)", rule: "must be >= 1")
    }
    self.taskCount = taskCount
  }

  /// A matrix from its rows, each with one accuracy per task.
  public init(rows: [[Double]]) throws(TrainingError) {
    try self.init(taskCount: rows.first?.count ?? 0)
    for row in rows { try record(row) }
  }

  /// Appends the row measured after training the next task: one accuracy per task.
  public mutating func record(_ accuracies: [Double]) throws(TrainingError) {
    if accuracies.count != taskCount {
      throw .invalidOption(
        name: "AccuracyMatrix: row \(rows.count)", value: "\(accuracies.count) accuracies",
        rule: "must have one per task (\(taskCount))")
    }
    if rows.count == taskCount {
      throw .invalidOption(
        name: "AccuracyMatrix: row \(rows.count)", value: "\(accuracies)",
        rule: "is one more than the \(taskCount) tasks")
    }
    rows.append(accuracies)
  }

  /// R[i][j]: the accuracy on task j after training task i.
  public subscript(afterTask trained: Int, onTask task: Int) -> Double { rows[trained][task] }

  /// Tasks trained so far (rows recorded).
  public var trainedTaskCount: Int { rows.count }

  /// Mean of the last row over the tasks trained so far (nil before the first row).
  public var averageAccuracy: Double? {
    guard let last = rows.last else { return nil }
    return last.prefix(rows.count).reduce(0, +) / Double(rows.count)
  }

  /// Mean drop of each earlier task from its best accuracy before the last task (Chaudhry et al. 2018).
  public var forgetting: Double? {
    let last = rows.count - 1
    guard last >= 1 else { return nil }
    let drops = (0..<last).map { task in
      (0..<last).map { rows[$0][task] }.max()! - rows[last][task]
    }
    return drops.reduce(0, +) / Double(last)
  }

  /// Mean change of each earlier task from just after it was learned to now (Lopez-Paz and Ranzato 2017).
  public var backwardTransfer: Double? {
    let last = rows.count - 1
    guard last >= 1 else { return nil }
    return (0..<last).map { rows[last][$0] - rows[$0][$0] }.reduce(0, +) / Double(last)
  }
}
