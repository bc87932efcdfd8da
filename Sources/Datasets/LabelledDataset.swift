/// Examples with class labels: one row of `inputs` per example, optionally tagged with the task it
/// belongs to (continual learning: task t of a sequence of rotated or permuted copies).
public struct LabelledDataset {
  /// [N, features]
  public let inputs: Tensor
  /// Class index of each row, in 0..<classNames.count.
  public let labels: [Int]
  /// Readable name of each class ("0".."9", "negative"/"positive", "en"/"es"/...).
  public let classNames: [String]
  /// Task id of each row, or nil when the data set is a single task.
  public var tasks: [Int]?

  /// Checks that there is one label (and task id) per row and that every label names a class.
  public init(inputs: Tensor, labels: [Int], classNames: [String], tasks: [Int]? = nil) throws {
    if inputs.rank != 2 {
      throw DatasetError.invalidArgument(
        name: "LabelledDataset.inputs", reason: "shape \(inputs.shape) is not [N, features]")
    }
    if labels.count != inputs.shape[0] {
      throw DatasetError.invalidArgument(
        name: "LabelledDataset.labels", reason: "\(labels.count) labels for \(inputs.shape[0]) rows")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classNames.count }) {
      throw DatasetError.invalidArgument(
        name: "LabelledDataset.labels",
        reason: "label \(labels[bad]) of row \(bad) is outside 0..<\(classNames.count)")
    }
    if let tasks, tasks.count != labels.count {
      throw DatasetError.invalidArgument(
        name: "LabelledDataset.tasks", reason: "\(tasks.count) task ids for \(labels.count) rows")
    }
    self.init(checkedInputs: inputs, labels: labels, classNames: classNames, tasks: tasks)
  }

  /// For callers that built consistent parts themselves (subsets, transforms).
  init(checkedInputs inputs: Tensor, labels: [Int], classNames: [String], tasks: [Int]?) {
    self.inputs = inputs
    self.labels = labels
    self.classNames = classNames
    self.tasks = tasks
  }

  public var count: Int { labels.count }
  /// Features per example (784 for MNIST-5k, 64 for digits).
  public var featureCount: Int { inputs.shape[1] }

  /// The examples at `indices`, in that order (indices may repeat).
  public func subset(_ indices: [Int]) -> LabelledDataset {
    LabelledDataset(
      checkedInputs: inputs.indexSelect(rows: indices), labels: indices.map { labels[$0] },
      classNames: classNames, tasks: tasks.map { tasks in indices.map { tasks[$0] } })
  }

  /// The same examples with every row tagged as task `task`.
  public func withTask(_ task: Int) -> LabelledDataset {
    var copy = self
    copy.tasks = Array(repeating: task, count: count)
    return copy
  }

  /// Several data sets one after another (same classes and feature count); rows keep their task ids.
  public static func concatenated(_ parts: [LabelledDataset]) throws -> LabelledDataset {
    guard let first = parts.first else {
      throw DatasetError.invalidArgument(name: "LabelledDataset.concatenated", reason: "no data sets given")
    }
    if let bad = parts.firstIndex(where: { $0.classNames != first.classNames || $0.featureCount != first.featureCount })
    {
      throw DatasetError.invalidArgument(
        name: "LabelledDataset.concatenated",
        reason: "part \(bad) has \(parts[bad].featureCount) features and classes \(parts[bad].classNames), "
          + "part 0 has \(first.featureCount) and \(first.classNames)")
    }
    let withTasks = parts.filter { $0.tasks != nil }.count
    if withTasks != 0 && withTasks != parts.count {
      throw DatasetError.invalidArgument(
        name: "LabelledDataset.concatenated", reason: "\(withTasks) of \(parts.count) parts have task ids")
    }
    var scalars: [Float] = []
    scalars.reserveCapacity(parts.reduce(0) { $0 + $1.inputs.count })
    for part in parts { scalars.append(contentsOf: part.inputs.scalars) }
    let rows = parts.reduce(0) { $0 + $1.count }
    return LabelledDataset(
      checkedInputs: Tensor(shape: [rows, first.featureCount], scalars: scalars),
      labels: parts.flatMap(\.labels), classNames: first.classNames,
      tasks: withTasks == 0 ? nil : parts.flatMap { $0.tasks! })
  }

  /// How many examples each class has, indexed by class.
  public var classCounts: [Int] {
    var counts = Array(repeating: 0, count: classNames.count)
    for label in labels { counts[label] += 1 }
    return counts
  }
}
