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

  /// Eight sequences of lengths 1...8 (in a scrambled order) in batches of two: sorting by length
  /// pairs them as {1, 2}, {3, 4}, {5, 6}, {7, 8}, so no batch pads more than one step of one row.
  @Test func lengthBucketedBatchesGroupSequencesOfNearlyEqualLength() throws {
    let lengths = [5, 2, 8, 1, 7, 3, 6, 4]
    let words = lengths.map { String(repeating: "a", count: $0) }
    let data = try SequenceDataset(
      tokenized: words.map(characterTokens), labels: lengths.map { $0 % 2 }, classNames: ["x", "y"],
      vocabulary: Vocabulary.characters(of: words))
    var generator = SeededGenerator(seed: 4)
    let batches = try data.lengthBucketedBatches(size: 2, using: &generator)
    #expect(batches.flatMap(\.indices).sorted() == Array(0..<8))
    #expect(Set(batches.map { $0.lengths.sorted() }) == [[1, 2], [3, 4], [5, 6], [7, 8]])
    for batch in batches {
      #expect(batch.length == batch.lengths.max())
      for row in 0..<batch.count { #expect(Array(batch.sequence(row)) == data.sequences[batch.indices[row]]) }
    }
    // The same seed gives the same batches; another seed another order of them.
    var again = SeededGenerator(seed: 4)
    #expect(try data.lengthBucketedBatches(size: 2, using: &again).map(\.indices) == batches.map(\.indices))
    let orders = (0..<6).map { seed -> [[Int]] in
      var other = SeededGenerator(seed: UInt64(seed))
      return (try? data.lengthBucketedBatches(size: 2, using: &other).map { $0.lengths.sorted() }) ?? []
    }
    #expect(Set(orders).count > 1)
  }

  /// Examples of equal length are shuffled among themselves: two seeds group them differently.
  @Test func lengthBucketedBatchesShuffleWithinALength() throws {
    let words = (0..<40).map { String(UnicodeScalar(UInt8(97 + $0 % 26))) + "b" }
    let data = try SequenceDataset(
      tokenized: words.map(characterTokens), labels: [Int](repeating: 0, count: 40), classNames: ["x"],
      vocabulary: Vocabulary.characters(of: words))
    var first = SeededGenerator(seed: 1)
    var second = SeededGenerator(seed: 2)
    let a = try data.lengthBucketedBatches(size: 8, using: &first).map { Set($0.indices) }
    let b = try data.lengthBucketedBatches(size: 8, using: &second).map { Set($0.indices) }
    #expect(Set(a) != Set(b))
    #expect(a.reduce(0) { $0 + $1.count } == 40)
  }
}
