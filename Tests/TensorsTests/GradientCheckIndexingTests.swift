import Tensors
import Testing

/// Finite-difference checks of the sparse-dispatch ops: indexSelect, indexAdd, gather,
/// scatterAdd and topK.
@Suite struct GradientCheckIndexingTests {
  @Test func indexSelectWithRepeatedIndices() {
    let x = uniformInput([4, 3], seed: 500)
    expectGradientsMatch([x]) { $0[0].indexSelect(rows: [2, 0, 2, 1, 2]) }
    let y = uniformInput([3, 2, 2], seed: 501)
    expectGradientsMatch([y]) { $0[0].indexSelect(rows: [1, 1, 0]) }
  }

  @Test func indexAddWithRepeatedIndices() {
    let base = uniformInput([4, 3], seed: 502)
    let source = uniformInput([5, 3], seed: 503)
    expectGradientsMatch([base, source]) { $0[0].indexAdd(rows: [3, 0, 3, 1, 3], $0[1]) }
  }

  @Test func indexAddGradientsOnlyToSource() {
    let base = Tensor.zeros([4, 2])
    let source = uniformInput([3, 2], seed: 504)
    expectGradientsMatch([source]) { base.indexAdd(rows: [1, 1, 2], $0[0]).tanh() }
    #expect(base.grad == nil)
  }

  @Test func indexSelectThenIndexAddRoundTrip() {
    // The dispatch-and-combine pattern of a mixture of experts layer.
    let x = uniformInput([4, 3], seed: 505)
    let weights = uniformInput([5, 1], seed: 506)
    let rows = [2, 0, 2, 3, 1]
    expectGradientsMatch([x, weights]) {
      let dispatched = $0[0].indexSelect(rows: rows) * $0[1]
      return Tensor.zeros([4, 3]).indexAdd(rows: rows, dispatched.sigmoid())
    }
  }

  @Test func gather() {
    let x = uniformInput([2, 3, 5], seed: 507)
    // Two picks per row, with a repeat inside a row.
    let indices = [4, 0, 1, 1, 3, 2, 0, 4, 2, 2, 1, 3]
    expectGradientsMatch([x]) { $0[0].gather(lastAxis: indices, count: 2) }
  }

  @Test func scatterAdd() {
    let x = uniformInput([3, 2], seed: 508)
    let indices = [3, 1, 0, 0, 2, 4]
    expectGradientsMatch([x]) { $0[0].scatterAdd(lastAxis: indices, size: 5) }
  }

  @Test func topKValues() {
    let x = distinctInput([3, 6], seed: 509)
    expectGradientsMatch([x]) { $0[0].topK(2).values }
    expectGradientsMatch([x]) { $0[0].topK(6).values }
    let y = distinctInput([2, 2, 5], seed: 510)
    expectGradientsMatch([y]) { $0[0].topK(3).values.softmax() }
  }
}
