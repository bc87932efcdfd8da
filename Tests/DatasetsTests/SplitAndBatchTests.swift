import Datasets
import Testing

@Suite struct SplitAndBatchTests {
  /// Sorted by class like MNIST-5k: 10 classes of 50, plus a class of 7 to test rounding.
  let labels = (0..<10).flatMap { Array(repeating: $0, count: 50) } + Array(repeating: 10, count: 7)

  @Test func everyClassAppearsInEverySplitInProportion() throws {
    var generator = SeededGenerator(seed: 3)
    let split = try stratifiedSplit(labels: labels, validation: 0.2, test: 0.1, using: &generator)
    for (rows, fraction) in [(split.validation, 0.2), (split.test, 0.1), (split.training, 0.7)] {
      for label in 0..<10 { #expect(rows.filter { labels[$0] == label }.count == Int(50 * fraction)) }
    }
    // 7 examples: round(1.4) = 1 validation, round(0.7) = 1 test, 5 training.
    #expect([split.validation, split.test, split.training].map { $0.filter { labels[$0] == 10 }.count } == [1, 1, 5])
  }

  @Test func theSplitIsAPartitionAndNotOrderedByClass() throws {
    var generator = SeededGenerator(seed: 4)
    let split = try stratifiedSplit(labels: labels, validation: 0.2, test: 0.1, using: &generator)
    let all = split.training + split.validation + split.test
    #expect(all.count == labels.count && Set(all) == Set(0..<labels.count))
    #expect(split.validation.map { labels[$0] } != split.validation.map { labels[$0] }.sorted())
  }

  @Test func theSplitIsDeterministicPerSeed() throws {
    var first = SeededGenerator(seed: 5)
    var again = SeededGenerator(seed: 5)
    var other = SeededGenerator(seed: 6)
    let split = try stratifiedSplit(labels: labels, validation: 0.2, test: 0.1, using: &first)
    #expect(split == (try stratifiedSplit(labels: labels, validation: 0.2, test: 0.1, using: &again)))
    #expect(split != (try stratifiedSplit(labels: labels, validation: 0.2, test: 0.1, using: &other)))
  }

  @Test func badFractionsThrow() {
    var generator = SeededGenerator(seed: 0)
    #expect(
      datasetErrorDescription { _ = try stratifiedSplit(labels: labels, validation: 0.5, test: 0.5, using: &generator) }
        == "stratifiedSplit: validation 0.5 and test 0.5 must be at least 0 and sum to less than 1")
  }

  func smallDataset() throws -> LabelledDataset {
    let rows = 23
    return try LabelledDataset(
      inputs: Tensor(shape: [rows, 2], scalars: (0..<(2 * rows)).map(Float.init)), labels: (0..<rows).map { $0 % 3 },
      classNames: ["a", "b", "c"], tasks: (0..<rows).map { $0 / 10 })
  }

  @Test func datasetSplitKeepsRowsLabelsAndTasksTogether() throws {
    var generator = SeededGenerator(seed: 1)
    let (training, validation, test) = try smallDataset().split(validation: 0.2, test: 0.2, using: &generator)
    #expect(training.count + validation.count + test.count == 23)
    for part in [training, validation, test] {
      for row in 0..<part.count {
        let original = Int(part.inputs.scalars[2 * row]) / 2
        #expect(part.labels[row] == original % 3 && part.tasks?[row] == original / 10)
      }
    }
  }

  @Test func labelledBatchesCoverEachExampleOncePerEpoch() throws {
    let data = try smallDataset()
    var generator = SeededGenerator(seed: 2)
    let epoch = try data.batches(size: 5, using: &generator)
    #expect(epoch.map(\.count) == [5, 5, 5, 5, 3])
    #expect(epoch.flatMap(\.indices).sorted() == Array(0..<23))
    #expect(epoch.flatMap(\.indices) != Array(0..<23))
    for batch in epoch {
      for (position, index) in batch.indices.enumerated() {
        #expect(batch.inputs.scalars[2 * position] == Float(2 * index))
        #expect(batch.labels[position] == index % 3 && batch.tasks?[position] == index / 10)
      }
    }
    let nextEpoch = try data.batches(size: 5, using: &generator)
    #expect(
      nextEpoch.flatMap(\.indices).sorted() == Array(0..<23) && nextEpoch.flatMap(\.indices) != epoch.flatMap(\.indices)
    )
    var same = SeededGenerator(seed: 2)
    #expect(try data.batches(size: 5, using: &same).flatMap(\.indices) == epoch.flatMap(\.indices))
    #expect(
      datasetErrorDescription { _ = try data.batches(size: 0) }
        == "LabelledDataset.batches: batch size 0 must be at least 1")
  }

  @Test func sequenceBatchesArePaddedToTheirLongestSequence() throws {
    let words = ["ab", "abcd", "b", "cab", "ba"]
    let vocabulary = Vocabulary.characters(of: words)
    let data = try SequenceDataset(
      tokenized: words.map(characterTokens), labels: [0, 1, 0, 1, 0], classNames: ["x", "y"], vocabulary: vocabulary)
    let ordered = try data.batches(size: 3)
    #expect(ordered.map(\.length) == [4, 3] && ordered[0].lengths == [2, 4, 1])
    let (a, b, c, d) = (vocabulary.id(of: "a"), vocabulary.id(of: "b"), vocabulary.id(of: "c"), vocabulary.id(of: "d"))
    #expect(ordered[0].tokens == [a, b, 0, 0, a, b, c, d, b, 0, 0, 0])
    #expect(ordered[1].tokens == [c, a, b, b, a, 0] && ordered[1].labels == [1, 0])
    var generator = SeededGenerator(seed: 9)
    let shuffled = try data.batches(size: 2, using: &generator)
    #expect(shuffled.flatMap(\.indices).sorted() == Array(0..<5))
    for batch in shuffled {
      #expect(batch.length == batch.lengths.max())
      for row in 0..<batch.count { #expect(Array(batch.sequence(row)) == data.sequences[batch.indices[row]]) }
    }
  }
}
