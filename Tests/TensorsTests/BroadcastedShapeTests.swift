import Testing

@testable import Tensors

/// `broadcastedShape`: NumPy's rule, and PyTorch's words when it fails (the lessons print them).
@Suite struct BroadcastedShapeTests {
  @Test func alignsTrailingDimensionsAndTakesTheLargerSize() {
    #expect(broadcastedShape([3, 1, 5], [4, 1]).shape == [3, 4, 5])
    #expect(broadcastedShape([2, 3], []).shape == [2, 3])
    #expect(broadcastedShape([1], [7, 1]).shape == [7, 1])
  }

  @Test func aMismatchGivesPyTorchsMessageWithTheResultsDimension() {
    // The slide-8 case: outputs [B, k, B, out] = [2, 3, 2, 5] times weights [B, k, 1] = [2, 3, 1].
    let result = broadcastedShape([2, 3, 2, 5], [2, 3, 1])
    #expect(result.shape == nil)
    #expect(result.error == "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1")
  }

  @Test func agreesWithTheEnginesBroadcastingWhereBothSucceed() {
    for (a, b) in [([4, 1, 3], [2, 1]), ([5], [3, 5]), ([1, 1], [6, 2])] {
      #expect(broadcastedShape(a, b).shape == broadcastShape(a, b, operation: "test"))
    }
  }
}
