import Tensors
import Testing

/// Programming errors stop the process with status 1 and one "error: ..." line on standard error.
/// Each case runs in a child process (a Swift Testing exit test).
@Suite struct MisuseTests {
  /// The standard error of an exit test, as text.
  static func standardError(_ result: ExitTest.Result?) -> String {
    String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
  }

  @Test func matmulInnerDimensionsDiffer() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([64, 10]).matmul(Tensor.zeros([20, 5]))
    }
    let text = Self.standardError(result)
    #expect(text.contains("error: matmul: [64, 10] x [20, 5]: inner dimensions 10 and 20 differ"), "\(text)")
  }

  @Test func matmulBatchSizesDiffer() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3, 4]).matmul(Tensor.zeros([3, 4, 5]))
    }
    let text = Self.standardError(result)
    #expect(text.contains("batch sizes 2 and 3 differ"), "\(text)")
  }

  @Test func broadcastingIncompatibleShapes() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]) + Tensor.zeros([4])
    }
    let text = Self.standardError(result)
    #expect(text.contains("error: add:"), "\(text)")
    #expect(text.contains("[2, 3]") && text.contains("[4]"), "\(text)")
  }

  @Test func backwardOnNonScalar() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      let x = Tensor([1, 2, 3], requiresGrad: true)
      (x * 2).backward()
    }
    let text = Self.standardError(result)
    #expect(text.contains("error: backward: output of shape [3] is not a scalar"), "\(text)")
  }

  @Test func backwardWithoutGradients() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      Tensor([1, 2]).sum().backward()
    }
    let text = Self.standardError(result)
    #expect(text.contains("does not require gradients"), "\(text)")
  }

  @Test func topKLargerThanTheSize() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).topK(4)
    }
    let text = Self.standardError(result)
    #expect(text.contains("error: topK: k = 4 must lie in 1...3"), "\(text)")
  }

  @Test func reshapeToWrongCount() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).reshaped([4, 2])
    }
    let text = Self.standardError(result)
    #expect(text.contains("error: reshape: cannot reshape [2, 3] (6 elements) to [4, 2]"), "\(text)")
  }

  @Test func indexSelectOutOfRange() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([3, 2]).indexSelect(rows: [0, 3])
    }
    let text = Self.standardError(result)
    #expect(text.contains("error: indexSelect: index 3 at position 1 is outside 0..<3"), "\(text)")
  }

  @Test func axisOutOfRange() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor.zeros([2, 3]).sum(axis: 2)
    }
    let text = Self.standardError(result)
    #expect(text.contains("error: sum: axis 2 is out of range for a tensor of rank 2"), "\(text)")
  }

  @Test func concatenateMismatchedShapes() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor.concatenate([Tensor.zeros([2, 3]), Tensor.zeros([2, 4])], axis: 0)
    }
    let text = Self.standardError(result)
    #expect(text.contains("error: concatenate: tensor 1 has shape [2, 4]"), "\(text)")
  }

  @Test func shapeAndScalarCountMismatch() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = Tensor(shape: [2, 2], scalars: [1, 2, 3])
    }
    let text = Self.standardError(result)
    #expect(text.contains("shape [2, 2] holds 4 elements but 3 were given"), "\(text)")
  }
}
