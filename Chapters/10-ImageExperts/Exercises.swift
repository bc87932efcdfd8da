// Chapter 10's exercises that check themselves: 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your answer, then run `make check-10`; it prints one line per exercise.
// Write them with plain arrays (the checker compares them with the library's tensors and layers).
import Chapter10Checks
import Exercises

/// Exercise 6. `expertOutputs[e][b]` is expert e's class scores (C numbers) for image b, stacked
/// as the slide's `torch.stack` does, [E, B, C]; `gateWeights[b][e]` is the gate's weight of
/// expert e for image b, [B, E]. Return the mixture's output, [B, C]:
/// y_b = sum over e of gateWeights[b][e] * expertOutputs[e][b]. It must work for any B and E.
func combineStackedExperts(gateWeights: [[Float]], expertOutputs: [[[Float]]]) throws -> [[Float]] {
  throw NotDoneYet()
}

/// Exercise 7. Return the shape of `a * b` under NumPy's (and PyTorch's) broadcasting rule, or nil
/// when the two shapes cannot be broadcast. A scalar has the shape [].
func broadcastShape(_ a: [Int], _ b: [Int]) throws -> [Int]? {
  throw NotDoneYet()
}

/// Exercise 8. Add a third block to the chapter's feature extractor, a 3 x 3 convolution from 16
/// to 32 channels (padding 1), ReLU and 2 x 2 max pooling (which drops a last row or column that
/// does not fill a window), before `Flatten`. How many features does one 28 x 28 image give? A
/// number, worked out by hand.
func featureCountWithThirdBlock() throws -> Int {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter10Answers(
  combineStackedExperts: combineStackedExperts, broadcastShape: broadcastShape,
  featureCountWithThirdBlock: featureCountWithThirdBlock)
