import Tensors
import Testing

/// Constructors and creation ops.
@Suite struct CreationValueTests {
  @Test func initializers() {
    let scalar = Tensor(2.5)
    #expect(scalar.shape == [] && scalar.rank == 0 && scalar.count == 1 && scalar.item == 2.5)
    let vector = Tensor([1, 2, 3])
    #expect(vector.shape == [3] && !vector.requiresGrad && vector.isLeaf)
    let matrix = Tensor(rows: [[1, 2, 3], [4, 5, 6]], requiresGrad: true)
    #expect(matrix.shape == [2, 3] && matrix.requiresGrad && matrix.grad == nil)
    #expect(matrix.scalars == [1, 2, 3, 4, 5, 6])
    #expect(Tensor([1, 2, 3, 4], shape: [2, 2]).shape == [2, 2])
    #expect(Tensor.zeros([2, 0]).count == 0)
  }

  @Test func filledTensors() {
    #expect(Tensor.zeros([2, 3]).scalars == [Float](repeating: 0, count: 6))
    #expect(Tensor.ones([4]).scalars == [1, 1, 1, 1])
    expectTensor(Tensor.full([2, 2], value: 7), shape: [2, 2], [7, 7, 7, 7])
    let like = Tensor.zeros(like: Tensor.ones([3, 1]))
    expectTensor(like, shape: [3, 1], [0, 0, 0])
  }

  @Test func arange() {
    expectTensor(Tensor.arange(0, 5), shape: [5], [0, 1, 2, 3, 4])
    expectTensor(Tensor.arange(2, 5), shape: [3], [2, 3, 4])
    expectTensor(Tensor.arange(1, 2, step: 0.25), shape: [4], [1, 1.25, 1.5, 1.75])
    expectTensor(Tensor.arange(0, 1, step: 0.3), shape: [4], [0, 0.3, 0.6, 0.9])
    expectTensor(Tensor.arange(5, 0, step: -2), shape: [3], [5, 3, 1])
    #expect(Tensor.arange(3, 3).shape == [0])
    #expect(Tensor.arange(3, 1).shape == [0])
  }

  @Test func eye() {
    expectTensor(Tensor.eye(3), shape: [3, 3], [1, 0, 0, 0, 1, 0, 0, 0, 1])
    expectTensor(Tensor.eye(1), shape: [1, 1], [1])
  }

  @Test func oneHot() {
    expectTensor(
      Tensor.oneHot([2, 0, 1, 2], classes: 3), shape: [4, 3],
      [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1])
    #expect(Tensor.oneHot([], classes: 5).shape == [0, 5])
  }
}
