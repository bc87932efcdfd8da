/// Row indices of a training / validation / test partition.
public struct SplitIndices: Equatable, Sendable {
  public let training: [Int]
  public let validation: [Int]
  public let test: [Int]
}

/// A seeded, stratified, shuffled partition of examples by their labels.
///
/// Each class's examples are shuffled, then round(n_c * validation) of them go to validation,
/// round(n_c * test) to test and the rest to training, so every split keeps the class proportions
/// (a prefix split of MNIST-5k, stored sorted by class, would validate on 8s and 9s only). Each
/// split is then shuffled as a whole, so it is not ordered by class either.
public func stratifiedSplit(
  labels: [Int], validation: Double, test: Double, using generator: inout SeededGenerator
) throws -> SplitIndices {
  if !(validation >= 0 && test >= 0 && validation + test < 1) {
    throw DatasetError.invalidArgument(
      name: "stratifiedSplit",
      reason: "validation \(validation) and test \(test) must be at least 0 and sum to less than 1")
  }
  if let bad = labels.firstIndex(where: { $0 < 0 }) {
    throw DatasetError.invalidArgument(
      name: "stratifiedSplit", reason: "label \(labels[bad]) of row \(bad) is negative")
  }
  var byClass = Array(repeating: [Int](), count: (labels.max() ?? -1) + 1)
  for (row, label) in labels.enumerated() { byClass[label].append(row) }
  var training: [Int] = []
  var validationRows: [Int] = []
  var testRows: [Int] = []
  for rows in byClass where !rows.isEmpty {
    let order = generator.permutation(rows.count).map { rows[$0] }
    let testCount = Int((Double(rows.count) * test).rounded())
    let validationCount = min(Int((Double(rows.count) * validation).rounded()), rows.count - testCount)
    testRows += order[0..<testCount]
    validationRows += order[testCount..<(testCount + validationCount)]
    training += order[(testCount + validationCount)...]
  }
  func shuffled(_ rows: [Int]) -> [Int] { generator.permutation(rows.count).map { rows[$0] } }
  return SplitIndices(training: shuffled(training), validation: shuffled(validationRows), test: shuffled(testRows))
}

extension LabelledDataset {
  /// A stratified, shuffled training / validation / test split (see `stratifiedSplit`).
  public func split(validation: Double, test: Double, using generator: inout SeededGenerator) throws
    -> (training: LabelledDataset, validation: LabelledDataset, test: LabelledDataset)
  {
    let indices = try stratifiedSplit(labels: labels, validation: validation, test: test, using: &generator)
    return (subset(indices.training), subset(indices.validation), subset(indices.test))
  }
}
