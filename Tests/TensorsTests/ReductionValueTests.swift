import Tensors
import Testing

/// Sums, means, extrema and arg-extrema against hand-computed values.
@Suite struct ReductionValueTests {
  let x = Tensor(rows: [[1, 2, 3], [4, 5, 6]])

  @Test func sumAndMean() {
    expectTensor(x.sum(), shape: [], [21])
    expectTensor(x.mean(), shape: [], [3.5])
    expectTensor(x.sum(axis: 0), shape: [3], [5, 7, 9])
    expectTensor(x.sum(axis: 1), shape: [2], [6, 15])
    expectTensor(x.sum(axis: -1, keepDimensions: true), shape: [2, 1], [6, 15])
    expectTensor(x.mean(axis: 0, keepDimensions: true), shape: [1, 3], [2.5, 3.5, 4.5])
    expectTensor(x.mean(axis: 1), shape: [2], [2, 5])
  }

  @Test func sumAlongMiddleAxisOf3D() {
    let y = Tensor.arange(0, 24).reshaped([2, 3, 4])
    // y[b, i, k] = 12 b + 4 i + k; summing i gives 36 b + 12 + 3 k.
    expectTensor(y.sum(axis: 1), shape: [2, 4], [12, 15, 18, 21, 48, 51, 54, 57])
    #expect(y.sum(axis: 1, keepDimensions: true).shape == [2, 1, 4])
  }

  @Test func maxAndMin() {
    let y = Tensor(rows: [[3, -1, 2], [0, 7, -5]])
    expectTensor(y.max(axis: 1), shape: [2], [3, 7])
    expectTensor(y.min(axis: 1), shape: [2], [-1, -5])
    expectTensor(y.max(axis: 0), shape: [3], [3, 7, 2])
    expectTensor(y.min(axis: 0, keepDimensions: true), shape: [1, 3], [0, -1, -5])
    expectTensor(y.max(), shape: [], [7])
    expectTensor(y.min(), shape: [], [-5])
  }

  @Test func argmaxAndArgminTakeTheFirstOnTies() {
    let y = Tensor(rows: [[1, 3, 3], [2, 2, 1], [2, 3, 1]])
    #expect(y.argmax() == [1, 0, 1])
    #expect(y.argmin() == [0, 2, 2])
    #expect(y.argmax(axis: 0) == [1, 0, 0])
    #expect(y.argmin(axis: 0) == [0, 1, 1])
    #expect(Tensor([4, 4, 4]).argmax(axis: 0) == [0])
    #expect(Tensor([4, 4, 4]).argmin() == [0])
  }

  @Test func maxGradientGoesToTheFirstMaximum() {
    let y = Tensor([2, 5, 5, 1], requiresGrad: true)
    y.max(axis: 0).backward()
    #expect(y.grad?.scalars == [0, 1, 0, 0])
    let z = Tensor([2, 1, 1, 3], requiresGrad: true)
    z.min().backward()
    #expect(z.grad?.scalars == [0, 1, 0, 0])
  }

  @Test func sumGradientIsOnes() {
    let y = Tensor(rows: [[1, 2], [3, 4]], requiresGrad: true)
    y.mean().backward()
    #expect(y.grad?.scalars == [0.25, 0.25, 0.25, 0.25])
  }
}
