/// A mini-batch of sequences padded to the longest one in the batch.
public struct SequenceBatch {
  /// Row-major [count, length] token ids; positions past a sequence's end hold `Vocabulary.padding`.
  public let tokens: [Int]
  /// The longest sequence in the batch.
  public let length: Int
  /// Real length of each row.
  public let lengths: [Int]
  public let labels: [Int]
  /// Position of each example in the data set the batch was drawn from.
  public let indices: [Int]
  public var count: Int { labels.count }

  /// Token ids of row `row`, without padding.
  public func sequence(_ row: Int) -> ArraySlice<Int> {
    tokens[(row * length)..<(row * length + lengths[row])]
  }
}

extension SequenceDataset {
  /// Mini-batches of `size` sequences in an order shuffled by `generator`, each padded to its own
  /// longest sequence; every example appears in exactly one batch per call.
  public func batches(size: Int, using generator: inout SeededGenerator) throws -> [SequenceBatch] {
    try batches(size: size, order: generator.permutation(count))
  }

  /// Mini-batches of `size` sequences of nearly equal length, in an order shuffled by `generator`:
  /// the examples are shuffled, stably sorted by length, cut into batches of `size`, and the batches
  /// shuffled. Padding then costs almost nothing (a recurrent layer runs every row of a batch to the
  /// batch's longest sequence), while equal lengths still meet in a new random grouping each epoch.
  /// Every example appears in exactly one batch per call.
  public func lengthBucketedBatches(size: Int, using generator: inout SeededGenerator) throws -> [SequenceBatch] {
    let shuffled = generator.permutation(count)
    let byLength = shuffled.enumerated()
      .sorted { a, b in
        let (lengthA, lengthB) = (sequences[a.element].count, sequences[b.element].count)
        return lengthA != lengthB ? lengthA < lengthB : a.offset < b.offset
      }
      .map(\.element)
    let batches = try batches(size: size, order: byLength)
    return generator.permutation(batches.count).map { batches[$0] }
  }

  /// Mini-batches of `size` sequences in data set order (for evaluation).
  public func batches(size: Int) throws -> [SequenceBatch] {
    try batches(size: size, order: Array(0..<count))
  }

  private func batches(size: Int, order: [Int]) throws -> [SequenceBatch] {
    try batchRanges(count: count, size: size, operation: "SequenceDataset.batches").map { range in
      let rows = Array(order[range])
      let lengths = rows.map { sequences[$0].count }
      let length = lengths.max() ?? 0
      var tokens = Array(repeating: Vocabulary.padding, count: rows.count * length)
      for (position, row) in rows.enumerated() {
        tokens.replaceSubrange((position * length)..<(position * length + lengths[position]), with: sequences[row])
      }
      return SequenceBatch(
        tokens: tokens, length: length, lengths: lengths, labels: rows.map { labels[$0] }, indices: rows)
    }
  }
}
