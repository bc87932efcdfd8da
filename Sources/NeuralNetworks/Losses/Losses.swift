/// Mean squared error: mean((prediction - target)^2) over all elements.
/// Shapes must match exactly: silently broadcasting [n, 1] against [n] is a classic bug.
public func meanSquaredError(_ prediction: Tensor, _ target: Tensor) -> Tensor {
  if prediction.shape != target.shape {
    tensorFailure("meanSquaredError: prediction \(prediction.shape) and target \(target.shape) differ in shape")
  }
  return Tensor.meanSquaredDifference(prediction, target)
}

/// Cross-entropy of class logits [n, classes] against integer labels, averaged over the n rows:
/// L = -(1/n) sum_i log softmax(logits_i)[label_i] = (1/n) sum_i (logsumexp(logits_i) - logits_i[label_i]).
/// One fused op (`Tensor.crossEntropyLoss`); backward: dL/dlogits_i = (softmax(logits_i) - onehot(label_i)) / n.
public func crossEntropy(_ logits: Tensor, labels: [Int]) -> Tensor {
  logits.crossEntropyLoss(labels: labels)
}

/// Negative log-likelihood of log-probabilities [n, classes]: L = -(1/n) sum_i logProbabilities[i, label_i].
public func negativeLogLikelihood(_ logProbabilities: Tensor, labels: [Int]) -> Tensor {
  if logProbabilities.rank != 2 || logProbabilities.shape[0] != labels.count {
    tensorFailure(
      "negativeLogLikelihood: expected [\(labels.count), classes] log-probabilities, got \(logProbabilities.shape)")
  }
  return -logProbabilities.gather(lastAxis: labels, count: 1).mean()
}

/// Binary cross-entropy from logits, averaged: mean(max(x, 0) - x t + log(1 + e^-|x|)),
/// the stable form of -[t log sigmoid(x) + (1 - t) log(1 - sigmoid(x))]. Targets in [0, 1].
/// Backward: (sigmoid(x) - t) / n.
public func binaryCrossEntropy(logits: Tensor, targets: Tensor) -> Tensor {
  if logits.shape != targets.shape {
    tensorFailure("binaryCrossEntropy: logits \(logits.shape) and targets \(targets.shape) differ in shape")
  }
  return (logits.relu() - logits * targets + (-logits.abs()).softplus()).mean()
}

/// L1 penalty: sum over all parameters of |p|. Pushes weights to exactly zero (sparsity).
public func l1Penalty(_ parameters: [Tensor]) -> Tensor {
  parameters.map { $0.abs().sum() }.reduce(Tensor(0), +)
}

/// L2 penalty: sum over all parameters of p^2. Shrinks weights smoothly (weight decay's loss form).
public func l2Penalty(_ parameters: [Tensor]) -> Tensor {
  parameters.map { $0.squared().sum() }.reduce(Tensor(0), +)
}
