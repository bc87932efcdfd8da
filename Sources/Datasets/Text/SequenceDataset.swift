/// Labelled token sequences of different lengths (sentences as word ids, words as character ids).
public struct SequenceDataset {
  /// Token ids of each example, unpadded.
  public let sequences: [[Int]]
  public let labels: [Int]
  public let classNames: [String]
  public let vocabulary: Vocabulary

  /// Encodes `tokenized` with `vocabulary`; checks one label per sequence, every label in range,
  /// and no empty sequence (an empty one would have nothing to read).
  public init(tokenized: [[String]], labels: [Int], classNames: [String], vocabulary: Vocabulary) throws {
    if tokenized.count != labels.count {
      throw DatasetError.invalidArgument(
        name: "SequenceDataset", reason: "\(labels.count) labels for \(tokenized.count) sequences")
    }
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classNames.count }) {
      throw DatasetError.invalidArgument(
        name: "SequenceDataset", reason: "label \(labels[bad]) of sequence \(bad) is outside 0..<\(classNames.count)")
    }
    if let empty = tokenized.firstIndex(where: \.isEmpty) {
      throw DatasetError.invalidArgument(name: "SequenceDataset", reason: "sequence \(empty) has no tokens")
    }
    self.init(
      checkedSequences: tokenized.map(vocabulary.encode), labels: labels, classNames: classNames,
      vocabulary: vocabulary)
  }

  init(checkedSequences: [[Int]], labels: [Int], classNames: [String], vocabulary: Vocabulary) {
    self.sequences = checkedSequences
    self.labels = labels
    self.classNames = classNames
    self.vocabulary = vocabulary
  }

  public var count: Int { labels.count }
  /// Number of tokens of each sequence.
  public var lengths: [Int] { sequences.map(\.count) }

  /// The examples at `indices`, in that order.
  public func subset(_ indices: [Int]) -> SequenceDataset {
    SequenceDataset(
      checkedSequences: indices.map { sequences[$0] }, labels: indices.map { labels[$0] },
      classNames: classNames, vocabulary: vocabulary)
  }

  /// A stratified, shuffled training / validation / test split (see `stratifiedSplit`).
  public func split(validation: Double, test: Double, using generator: inout SeededGenerator) throws
    -> (training: SequenceDataset, validation: SequenceDataset, test: SequenceDataset)
  {
    let indices = try stratifiedSplit(labels: labels, validation: validation, test: test, using: &generator)
    return (subset(indices.training), subset(indices.validation), subset(indices.test))
  }
}
