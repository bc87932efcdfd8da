import NeuralNetworks

/// W5: Embedding(10000, 100); five LSTM(100, 128) experts on the embedded sequence; a gate
/// Linear(100, 5) on the mean embedding; the softmax-weighted sum of the experts' last hidden
/// states; Linear(128, 3); cross-entropy. Batch 32, sequences of 20 tokens, Adam.
enum SequenceExpertsWorkload {
  static func run(threads: Int, quick: Bool) -> BenchmarkResults {
    var generator = SeededGenerator(seed: 0)
    let (batch, time, vocabulary) = (32, 20, 10_000)
    let embedding = Embedding(vocabulary, 100, using: &generator)
    let experts = (0..<5).map { _ in LSTM(100, 128, using: &generator) }
    let gate = Linear(100, 5, using: &generator)
    let classifier = Linear(128, 3, using: &generator)
    let tokens = (0..<batch * time).map { _ in generator.nextInt(below: vocabulary) }
    let labels = (0..<batch).map { _ in generator.nextInt(below: 3) }

    func logits() -> Tensor {
      let embedded = embedding(indices: tokens, shape: [batch, time])
      let weights = gate(embedded.mean(axis: 1)).softmax(axis: 1)
      let lastHidden = experts.map { $0(embedded).lastHidden }
      return classifier(Tensor.weightedSum(lastHidden, weights: weights))
    }
    let parameters =
      embedding.parameters + experts.flatMap(\.parameters) + gate.parameters + classifier.parameters
    let step = TrainingStep(
      name: "W5", description: "W5 LSTM experts", parameters: parameters,
      loss: { crossEntropy(logits(), labels: labels) }, inferences: [(batch, { _ = logits() })])
    return step.run(threads: threads, quick: quick)
  }
}
