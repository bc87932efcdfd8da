import Tensors
import Testing

/// topK, indexSelect, indexAdd, gather and scatterAdd values.
@Suite struct IndexingValueTests {
  @Test func topKPicksLargestFirstAndBreaksTiesByLowerIndex() {
    let (values, indices) = Tensor([3, 1, 3, 2]).topK(2)
    #expect(indices == [0, 2])
    expectTensor(values, shape: [2], [3, 3])
  }

  @Test func topKPerRow() {
    let x = Tensor(rows: [[0.1, 0.5, -0.2, 0.4], [-1, -3, -2, -0.5], [2, 2, 2, 2]])
    let (values, indices) = x.topK(3)
    #expect(indices == [1, 3, 0, 3, 0, 2, 0, 1, 2])
    expectTensor(values, shape: [3, 3], [0.5, 0.4, 0.1, -0.5, -1, -2, 2, 2, 2])
  }

  @Test func topKWithKEqualToSizeSortsDescending() {
    let x = distinctInput([2, 3, 7], seed: 900, requiresGrad: false)
    let (values, indices) = x.topK(7)
    #expect(values.shape == [2, 3, 7])
    for row in 0..<6 {
      let line = Array(values.scalars[(row * 7)..<((row + 1) * 7)])
      #expect(line == line.sorted(by: >))
      #expect(Set(indices[(row * 7)..<((row + 1) * 7)]) == Set(0..<7))
    }
  }

  @Test func topKGradientGoesToChosenElements() {
    let x = Tensor([0.3, 0.9, 0.1, 0.7], requiresGrad: true)
    (x.topK(2).values * Tensor([10, 1])).sum().backward()
    #expect(x.grad?.scalars == [0, 10, 0, 1])
  }

  @Test func indexSelectWithRepeats() {
    let x = Tensor(rows: [[1, 2], [3, 4], [5, 6]])
    expectTensor(x.indexSelect(rows: [2, 0, 2]), shape: [3, 2], [5, 6, 1, 2, 5, 6])
    expectTensor(x.indexSelect(rows: []), shape: [0, 2], [])
    let v = Tensor([10, 20, 30])
    expectTensor(v.indexSelect(rows: [1, 1]), shape: [2], [20, 20])
  }

  @Test func indexSelectGradientAddsRepeats() {
    let x = Tensor(rows: [[1, 2], [3, 4], [5, 6]], requiresGrad: true)
    x.indexSelect(rows: [2, 0, 2]).sum().backward()
    #expect(x.grad?.scalars == [1, 1, 0, 0, 2, 2])
  }

  @Test func indexAddWithRepeats() {
    let base = Tensor(rows: [[1, 1], [1, 1], [1, 1]])
    let source = Tensor(rows: [[1, 2], [10, 20], [100, 200]])
    expectTensor(
      base.indexAdd(rows: [2, 0, 2], source), shape: [3, 2], [11, 21, 1, 1, 102, 203])
    // The base itself is unchanged (ops return new tensors).
    #expect(base.scalars == [1, 1, 1, 1, 1, 1])
  }

  @Test func indexAddGradients() {
    let base = Tensor.zeros([3, 2], requiresGrad: true)
    let source = Tensor.zeros([3, 2], requiresGrad: true)
    let upstream = Tensor(rows: [[1, 2], [3, 4], [5, 6]])
    base.indexAdd(rows: [2, 0, 2], source).backward(upstream)
    #expect(base.grad?.scalars == [1, 2, 3, 4, 5, 6])
    #expect(source.grad?.scalars == [5, 6, 1, 2, 5, 6])
  }

  @Test func gatherPicksAlongLastAxis() {
    let x = Tensor(rows: [[10, 11, 12, 13], [20, 21, 22, 23]])
    expectTensor(
      x.gather(lastAxis: [3, 0, 1, 1], count: 2), shape: [2, 2], [13, 10, 21, 21])
  }

  @Test func scatterAddAddsRepeats() {
    let source = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    expectTensor(
      source.scatterAdd(lastAxis: [0, 2, 0, 1, 1, 3], size: 4), shape: [2, 4],
      [4, 0, 2, 0, 0, 9, 0, 6])
  }

  @Test func gatherScatterAddRoundTrip() {
    let x = uniformInput([3, 5], seed: 901, requiresGrad: false)
    // Distinct picks in each row.
    let indices = [4, 1, 0, 2, 3, 1, 0, 2, 4]
    let picked = x.gather(lastAxis: indices, count: 3)
    let scattered = picked.scatterAdd(lastAxis: indices, size: 5)
    #expect(scattered.shape == [3, 5])
    for row in 0..<3 {
      let chosen = Set(indices[(row * 3)..<((row + 1) * 3)])
      for column in 0..<5 {
        let expected = chosen.contains(column) ? x.scalars[row * 5 + column] : 0
        #expect(scattered.scalars[row * 5 + column] == expected)
      }
    }
    // And back: gathering the scattered values returns the picks.
    #expect(scattered.gather(lastAxis: indices, count: 3).scalars == picked.scalars)
    // With every column picked once, the round trip is the identity.
    let permutation = [2, 0, 4, 1, 3, 0, 1, 2, 3, 4, 4, 3, 2, 1, 0]
    let full = x.gather(lastAxis: permutation, count: 5).scatterAdd(lastAxis: permutation, size: 5)
    #expect(full.scalars == x.scalars)
  }
}
