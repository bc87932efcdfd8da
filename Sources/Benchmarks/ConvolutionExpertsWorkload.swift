import MoE
import NeuralNetworks

/// W6: convolutional features, then a dense mixture of five experts Linear(F, 64)-ReLU-Linear(64, 10)
/// with a softmax gate Linear(F, 5); cross-entropy over 10 classes; batch 64 random images, Adam.
///
/// - 28x28: Conv(1,16,3,p1)-ReLU-MaxPool2-Conv(16,32,3,p1)-ReLU-MaxPool2 -> F = 32*7*7 = 1568
/// - 8x8:   Conv(1,16,3,p1)-ReLU-Conv(16,32,3,p1)-ReLU-MaxPool2 -> F = 32*4*4 = 512
enum ConvolutionExpertsWorkload {
  static func run(threads: Int, quick: Bool) -> BenchmarkResults {
    var results = BenchmarkResults()
    for side in [28, 8] {
      var generator = SeededGenerator(seed: 0)
      let small = side == 8
      let features: Sequential =
        small
        ? Sequential(
          Conv2D(1, 16, kernelSize: 3, padding: 1, using: &generator), ReLU(),
          Conv2D(16, 32, kernelSize: 3, padding: 1, using: &generator), ReLU(), MaxPool2D(kernelSize: 2), Flatten())
        : Sequential(
          Conv2D(1, 16, kernelSize: 3, padding: 1, using: &generator), ReLU(), MaxPool2D(kernelSize: 2),
          Conv2D(16, 32, kernelSize: 3, padding: 1, using: &generator), ReLU(), MaxPool2D(kernelSize: 2), Flatten())
      let featureCount = small ? 32 * 4 * 4 : 32 * 7 * 7
      let mixture = MixtureOfExperts(
        experts: FeedForwardExpert.make(
          count: 5, inputSize: featureCount, hiddenSize: 64, outputSize: 10, using: &generator),
        gate: try! SoftmaxGate(inputSize: featureCount, expertCount: 5, using: &generator))
      let images = Tensor.normal([64, 1, side, side], using: &generator)
      let labels = (0..<64).map { _ in generator.nextInt(below: 10) }
      let name = "W6.\(side)x\(side)"
      let step = TrainingStep(
        name: name, description: "\(name) CNN experts", parameters: features.parameters + mixture.parameters,
        loss: { crossEntropy(mixture(features(images)), labels: labels) },
        inferences: [(64, { _ = mixture(features(images)) })])
      results.append(contentsOf: step.run(threads: threads, quick: quick))
    }
    return results
  }
}
