import NeuralNetworks
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct LossTests {
  @Test func meanSquaredErrorValueAndGradient() {
    let prediction = Tensor([1, 2, 3], requiresGrad: true)
    let target = Tensor([1, 0, 6])
    let loss = meanSquaredError(prediction, target)
    #expect(isClose(loss.item, (0 + 4 + 9) / 3))
    loss.backward()
    #expect(allClose(prediction.grad!.scalars, [0, 4.0 / 3, -2]))
  }

  @Test func crossEntropyMatchesTheDefinition() {
    let logits = Tensor(rows: [[2, 1, 0.1], [0.5, 2.5, -1]], requiresGrad: true)
    let labels = [0, 2]
    let loss = crossEntropy(logits, labels: labels)
    var expected: Float = 0
    for (row, label) in labels.enumerated() {
      let values = Array(logits.scalars[(row * 3)..<(row * 3 + 3)])
      let total = values.map { expf($0) }.reduce(0, +)
      expected -= logf(expf(values[label]) / total)
    }
    #expect(isClose(loss.item, expected / 2))
    // d/dlogits = (softmax - onehot) / n
    loss.backward()
    let softmax = logits.detached().softmax(axis: 1).scalars
    let onehot = Tensor.oneHot(labels, classes: 3).scalars
    #expect(allClose(logits.grad!.scalars, zip(softmax, onehot).map { ($0 - $1) / 2 }))
  }

  @Test func crossEntropyIsStableForHugeLogits() {
    let loss = crossEntropy(Tensor(rows: [[1e4, -1e4, 0]]), labels: [1])
    #expect(isClose(loss.item, 2e4))
  }

  @Test func binaryCrossEntropyMatchesTheProbabilityForm() {
    let logits = Tensor([-3, -0.5, 0.2, 4], requiresGrad: true)
    let targets = Tensor([0, 1, 1, 0.3])
    let loss = binaryCrossEntropy(logits: logits, targets: targets)
    var expected: Float = 0
    for (x, t) in zip(logits.scalars, targets.scalars) {
      let p = 1 / (1 + expf(-x))
      expected -= t * logf(p) + (1 - t) * logf(1 - p)
    }
    #expect(isClose(loss.item, expected / 4, tolerance: 1e-5))
    loss.backward()
    let expectedGrad = zip(logits.scalars, targets.scalars).map { x, t in (1 / (1 + expf(-x)) - t) / 4 }
    #expect(allClose(logits.grad!.scalars, expectedGrad, tolerance: 1e-4))
  }

  @Test func lossGradientsMatchFiniteDifferences() {
    var generator = SeededGenerator(seed: 12)
    let logits = Tensor.normal([5, 4], using: &generator, requiresGrad: true)
    let labels = [3, 0, 1, 1, 2]
    let target = Tensor.normal([5, 4], using: &generator)
    let probabilities = Tensor.uniform([5, 4], using: &generator)
    let checks: [([Tensor]) -> Tensor] = [
      { crossEntropy($0[0], labels: labels) },
      { negativeLogLikelihood($0[0].logSoftmax(axis: 1), labels: labels) },
      { meanSquaredError($0[0], target) },
      { binaryCrossEntropy(logits: $0[0], targets: probabilities) },
      { l1Penalty([$0[0]]) },
      { l2Penalty([$0[0]]) },
    ]
    for (index, check) in checks.enumerated() {
      let report = checkGradients(of: check, at: [logits])
      #expect(report.passes(tolerance: 1e-3), "loss \(index): \(report)")
    }
  }

  @Test func penaltiesSumOverParameters() {
    let a = Tensor([1, -2])
    let b = Tensor([0.5])
    #expect(l1Penalty([a, b]).item == 3.5)
    #expect(l2Penalty([a, b]).item == 5.25)
  }

  @Test func mismatchedShapesAreRejected() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = meanSquaredError(Tensor.zeros([8, 1]), Tensor.zeros([8]))
    }.map { result in
      let text = String(decoding: result.standardErrorContent, as: UTF8.self)
      #expect(text.contains("meanSquaredError: prediction [8, 1] and target [8] differ in shape"), "\(text)")
    }
  }

  @Test func labelOutsideTheClassesIsNamed() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      _ = crossEntropy(Tensor.zeros([2, 3]), labels: [0, 3])
    }.map { result in
      let text = String(decoding: result.standardErrorContent, as: UTF8.self)
      #expect(text.contains("crossEntropy: label 3 at position 1 is outside 0..<3"), "\(text)")
    }
  }
}
