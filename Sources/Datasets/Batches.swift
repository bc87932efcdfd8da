/// A mini-batch of a `LabelledDataset`: its rows, labels, task ids and where they came from.
public struct LabelledBatch {
  /// [count, features]
  public let inputs: Tensor
  public let labels: [Int]
  public let tasks: [Int]?
  /// Row of each example in the data set the batch was drawn from.
  public let indices: [Int]
  public var count: Int { labels.count }
}

/// The start offsets of batches of `size` over `count` items, checking the size.
func batchRanges(count: Int, size: Int, operation: String) throws -> [Range<Int>] {
  if size < 1 { throw DatasetError.invalidArgument(name: operation, reason: "batch size \(size) must be at least 1") }
  return stride(from: 0, to: count, by: size).map { $0..<min($0 + size, count) }
}

extension LabelledDataset {
  /// Mini-batches of `size` rows in an order shuffled by `generator`: each example appears in
  /// exactly one batch per call (one epoch); the last batch may be smaller.
  public func batches(size: Int, using generator: inout SeededGenerator) throws -> [LabelledBatch] {
    try batches(size: size, order: generator.permutation(count))
  }

  /// Mini-batches of `size` rows in data set order (for evaluation).
  public func batches(size: Int) throws -> [LabelledBatch] {
    try batches(size: size, order: Array(0..<count))
  }

  private func batches(size: Int, order: [Int]) throws -> [LabelledBatch] {
    try batchRanges(count: count, size: size, operation: "LabelledDataset.batches").map { range in
      let rows = Array(order[range])
      return LabelledBatch(
        inputs: inputs.indexSelect(rows: rows), labels: rows.map { labels[$0] },
        tasks: tasks.map { tasks in rows.map { tasks[$0] } }, indices: rows)
    }
  }
}
