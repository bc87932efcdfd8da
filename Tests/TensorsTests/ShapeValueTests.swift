import Tensors
import Testing

/// reshape, permute, transpose, slice, select, concatenate, stack, squeeze and unsqueeze values.
@Suite struct ShapeValueTests {
  /// 0, 1, ..., n - 1 in the given shape.
  func counting(_ shape: [Int]) -> Tensor {
    Tensor.arange(0, Float(shape.reduce(1, *))).reshaped(shape)
  }

  @Test func reshapeWithInferredDimension() {
    let x = counting([2, 3, 4])
    #expect(x.reshaped([-1, 4]).shape == [6, 4])
    #expect(x.reshaped([2, -1]).shape == [2, 12])
    #expect(x.reshaped([-1]).shape == [24])
    #expect(x.reshaped([4, -1, 2]).shape == [4, 3, 2])
    #expect(x.reshaped([6, 4]).scalars == x.scalars)
    #expect(x.flattened().shape == [2, 12])
    #expect(Tensor(5).reshaped([1, 1]).shape == [1, 1])
  }

  @Test func permuteMovesEveryElement() {
    let x = counting([2, 3, 4])
    let y = x.permuted([2, 0, 1])
    #expect(y.shape == [4, 2, 3])
    var expected: [Float] = []
    for k in 0..<4 {
      for i in 0..<2 {
        for j in 0..<3 { expected.append(Float(i * 12 + j * 4 + k)) }
      }
    }
    #expect(y.scalars == expected)
    // Applying the inverse permutation restores the original.
    #expect(y.permuted([1, 2, 0]).scalars == x.scalars)
  }

  @Test func transpose() {
    let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    expectTensor(m.T, shape: [3, 2], [1, 4, 2, 5, 3, 6])
    expectTensor(m.transposed(0, 1), shape: [3, 2], [1, 4, 2, 5, 3, 6])
    let x = counting([2, 2, 3])
    expectTensor(x.transposed(), shape: [2, 3, 2], [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11])
  }

  @Test func sliceAlongEachAxis() {
    let x = counting([2, 3, 4])
    expectTensor(x.slice(axis: 0, 1..<2), shape: [1, 3, 4], (12..<24).map(Float.init))
    expectTensor(
      x.slice(axis: 1, 1..<3), shape: [2, 2, 4],
      [
        4, 5, 6, 7, 8, 9, 10, 11, 16, 17, 18, 19, 20, 21, 22, 23,
      ])
    expectTensor(
      x.slice(axis: -1, 2..<4), shape: [2, 3, 2],
      [
        2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23,
      ])
    expectTensor(x[rows: 0..<1], shape: [1, 3, 4], (0..<12).map(Float.init))
    #expect(x.slice(axis: 1, 2..<2).shape == [2, 0, 4])
  }

  @Test func selectRemovesTheAxis() {
    let m = Tensor(rows: [[1, 2, 3], [4, 5, 6]])
    expectTensor(m.select(axis: 1, 0), shape: [2], [1, 4])
    expectTensor(m.select(1), shape: [3], [4, 5, 6])
    expectTensor(m.select(axis: -1, 2), shape: [2], [3, 6])
  }

  @Test func concatenate() {
    let a = Tensor(rows: [[1, 2], [3, 4]])
    let b = Tensor(rows: [[5, 6]])
    let c = Tensor(rows: [[7, 8], [9, 10], [11, 12]])
    expectTensor(
      Tensor.concatenate([a, b, c]), shape: [6, 2], (1...12).map(Float.init))
    let d = Tensor(rows: [[9], [8]])
    let e = Tensor(rows: [[7, 6, 5], [4, 3, 2]])
    expectTensor(
      Tensor.concatenate([a, d, e], axis: 1), shape: [2, 6], [1, 2, 9, 7, 6, 5, 3, 4, 8, 4, 3, 2])
    expectTensor(Tensor.concatenate([a, d], axis: -1), shape: [2, 3], [1, 2, 9, 3, 4, 8])
  }

  @Test func stack() {
    let a = Tensor([1, 2, 3])
    let b = Tensor([4, 5, 6])
    expectTensor(Tensor.stack([a, b]), shape: [2, 3], [1, 2, 3, 4, 5, 6])
    expectTensor(Tensor.stack([a, b], axis: 1), shape: [3, 2], [1, 4, 2, 5, 3, 6])
    expectTensor(Tensor.stack([a, b], axis: -1), shape: [3, 2], [1, 4, 2, 5, 3, 6])
    let scalars = Tensor.stack([Tensor(1), Tensor(2)])
    expectTensor(scalars, shape: [2], [1, 2])
  }

  @Test func squeezeAndUnsqueeze() {
    let x = Tensor.zeros([1, 3, 1, 2])
    #expect(x.squeezed().shape == [3, 2])
    #expect(x.squeezed(axis: 0).shape == [3, 1, 2])
    #expect(x.squeezed(axis: -2).shape == [1, 3, 2])
    #expect(x.unsqueezed(axis: 0).shape == [1, 1, 3, 1, 2])
    #expect(x.unsqueezed(axis: 4).shape == [1, 3, 1, 2, 1])
    #expect(x.unsqueezed(axis: -1).shape == [1, 3, 1, 2, 1])
    #expect(Tensor(3).unsqueezed(axis: 0).shape == [1])
  }
}
