import Tensors
import Testing

/// softmax, logSoftmax and logSumExp: values, normalization and numerical stability.
@Suite struct SoftmaxValueTests {
  @Test func handComputedSoftmax() {
    // e^k / (e + e^2 + e^3)
    expectTensor(
      Tensor([1, 2, 3]).softmax(), shape: [3], [0.090_030_57, 0.244_728_47, 0.665_240_96],
      tolerance: 1e-6)
    expectTensor(
      Tensor([1, 2, 3]).logSoftmax(), shape: [3], [-2.407_605_9, -1.407_605_9, -0.407_605_9],
      tolerance: 1e-5)
    expectTensor(Tensor([1, 2, 3]).logSumExp(), shape: [], [3.407_605_9], tolerance: 1e-5)
  }

  @Test(arguments: [0, 1, 2, -1])
  func linesSumToOne(axis: Int) {
    let x = uniformInput([3, 4, 5], seed: 800, low: -5, high: 5, requiresGrad: false)
    let y = x.softmax(axis: axis)
    #expect(y.shape == x.shape)
    #expect(y.scalars.allSatisfy { $0 > 0 && $0 < 1 })
    let sums = y.sum(axis: axis)
    expectClose(sums.scalars, [Float](repeating: 1, count: sums.count), tolerance: 1e-5)
    // log softmax is the log of softmax.
    expectClose(x.logSoftmax(axis: axis).scalars, y.log().scalars, tolerance: 1e-5)
  }

  @Test func softmaxIsShiftInvariant() {
    let x = uniformInput([2, 5], seed: 801, requiresGrad: false)
    expectClose((x + 100).softmax().scalars, x.softmax().scalars, tolerance: 1e-5)
  }

  @Test func extremeLogitsStayFinite() {
    let logits = Tensor([1e4, -1e4, 0])
    let probabilities = logits.softmax()
    #expect(probabilities.scalars.allSatisfy { $0.isFinite })
    expectTensor(probabilities, shape: [3], [1, 0, 0])
    let logProbabilities = logits.logSoftmax()
    #expect(logProbabilities.scalars.allSatisfy { $0.isFinite })
    expectTensor(logProbabilities, shape: [3], [0, -2e4, -1e4])
  }

  @Test func extremeLogitsBackwardStaysFinite() {
    let logits = Tensor([1e4, -1e4, 0], requiresGrad: true)
    (logits.logSoftmax() * Tensor([0, 1, 0])).sum().backward()
    // d/dx_k of log p_1 = [k == 1] - p_k = [-1, 1, 0]
    expectTensor(logits.grad!, shape: [3], [-1, 1, 0])
  }

  @Test func minusInfinityIsExcluded() {
    // A masked logit gets probability 0 and the rest renormalize, without NaN.
    let y = Tensor([0, -.infinity, 0]).softmax()
    expectTensor(y, shape: [3], [0.5, 0, 0.5])
    let logY = Tensor([0, -.infinity, 0]).logSoftmax()
    #expect(logY.scalars[1] == -.infinity)
    expectClose([logY.scalars[0], logY.scalars[2]], [-0.693_147_2, -0.693_147_2])
  }

  @Test func logSumExpIsStableAtLargeMagnitudes() {
    let ln2: Float = 0.693_147_2
    expectTensor(Tensor([1000, 1000]).logSumExp(), shape: [], [1000 + ln2], tolerance: 1e-3)
    expectTensor(Tensor([-1000, -1000]).logSumExp(), shape: [], [-1000 + ln2], tolerance: 1e-3)
    expectTensor(Tensor([1e4, 0]).logSumExp(), shape: [], [1e4], tolerance: 1e-2)
    let all = Tensor([1000, 1000, -1000, -1000], shape: [2, 2]).logSumExp(axis: 1)
    expectTensor(all, shape: [2], [1000 + ln2, -1000 + ln2], tolerance: 1e-3)
  }

  @Test func logSumExpShapes() {
    let x = Tensor.zeros([2, 3, 4])
    #expect(x.logSumExp(axis: 1).shape == [2, 4])
    #expect(x.logSumExp(axis: 1, keepDimensions: true).shape == [2, 1, 4])
    // log(3 * e^0) = log 3 everywhere.
    expectClose(x.logSumExp(axis: 1).scalars, [Float](repeating: 1.098_612_3, count: 8))
  }

  @Test func softmaxAlongFirstAxisOfMatrix() {
    // Columns normalize independently.
    let x = Tensor(rows: [[0, 1], [0, 1]])
    expectTensor(x.softmax(axis: 0), shape: [2, 2], [0.5, 0.5, 0.5, 0.5])
  }
}
