import NeuralNetworks

/// Seeded mini-batches of row indices, for the `batches` closure of `fit`.
public enum MiniBatches {
  /// The rows 0..<count shuffled and cut into batches of `batchSize` (the last one shorter, unless
  /// `dropsLast`). The order depends only on (seed, epoch): the same seed gives the same batches on
  /// every run, and each epoch is shuffled afresh.
  public static func indices(
    count: Int, batchSize: Int, seed: UInt64, epoch: Int, dropsLast: Bool = false
  ) throws(TrainingError) -> [[Int]] {
    if count < 0 { throw .invalidOption(name: "MiniBatches: count", value: "\(count)", rule: "must be >= 0") }
    if batchSize < 1 {
      throw .invalidOption(name: "MiniBatches: batchSize", value: "\(batchSize)", rule: "must be >= 1")
    }
    // A different stream per epoch, derived from the seed (SplitMix64 spreads nearby seeds apart).
    var generator = SeededGenerator(seed: seed ^ (UInt64(truncatingIfNeeded: epoch) &* 0xD1B5_4A32_D192_ED03))
    let order = generator.permutation(count)
    var batches: [[Int]] = []
    var start = 0
    while start < count {
      let end = Swift.min(start + batchSize, count)
      if end - start < batchSize && dropsLast { break }
      batches.append(Array(order[start..<end]))
      start = end
    }
    return batches
  }
}
