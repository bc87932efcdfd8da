import NeuralNetworks

// Auxiliary losses read a routing record and return a scalar connected to the gate, to be added
// (times a small coefficient) to the task loss. Each states its value for perfectly balanced routing.

/// The Switch Transformer load-balancing loss (Fedus et al. 2021):
///
///     L = E * sum_i f_i * P_i
///
/// with f_i the fraction of tokens whose most probable expert is i and P_i the mean probability the
/// router gives expert i. f is a count (no gradient); P carries the gradient. It equals 1 when both
/// are uniform (f_i = P_i = 1/E) and grows to E when every token goes to one expert with certainty.
public func loadBalancingLoss(_ routing: RoutingRecord) -> Tensor {
  let experts = routing.expertCount
  let tokens = routing.tokenCount
  var fractions = [Float](repeating: 0, count: experts)
  for expert in routing.argmaxExperts { fractions[expert] += 1 / Float(tokens) }
  let meanProbability = routing.probabilities.mean(axis: 0)
  return (meanProbability * Tensor(fractions)).sum() * Float(experts)
}

/// Squared coefficient of variation, cv^2 = variance / mean^2 (population variance): 0 when all
/// values are equal, larger the more unequal they are. Scale-free.
public func squaredCoefficientOfVariation(_ values: Tensor) -> Tensor {
  let mean = values.mean()
  let variance = (values - mean).squared().mean()
  return variance / (mean.squared() + 1e-10)
}

/// Shazeer et al.'s importance loss: cv^2 of the importance, Importance_i = sum over the batch of
/// the combine weight of expert i. 0 when every expert gets the same total weight.
public func importanceLoss(_ routing: RoutingRecord) -> Tensor {
  squaredCoefficientOfVariation(routing.combineMatrix.sum(axis: 0))
}

/// Shazeer et al.'s load loss: cv^2 of the smooth load estimate of `NoisyTopKGate` (differentiable),
/// 0 when balanced. A router without a load estimate throws: token counts carry no gradient, so a
/// silent fall-back to them would be a loss that trains nothing.
public func loadLoss(_ routing: RoutingRecord) throws(MoEConfigurationError) -> Tensor {
  guard let load = routing.load else {
    throw .unsupported(
      function: "loadLoss", message: "the router gives no load estimate (only NoisyTopKGate with k < E does)")
  }
  return squaredCoefficientOfVariation(load)
}

/// The router z-loss of ST-MoE (Zoph et al. 2022): L_z = mean over tokens of logsumexp(z)^2, with z
/// the router's scores before any task mask (`unmaskedLogits`; the same as `logits` for every router
/// but `TaskGate`, whose masked logits would make the loss ignore the scores it hides). It keeps the
/// scores small, which keeps the softmax numerically tame. Zero only when logsumexp is 0 for every
/// token (e.g. E uniform logits equal to -log E).
public func routerZLoss(_ routing: RoutingRecord) -> Tensor {
  routing.unmaskedLogits.logSumExp(axis: 1).squared().mean()
}

/// The task classifier's loss of a `TaskGate`: L = mean over inputs of -log q(t_n | x_n), the
/// cross-entropy of the classifier's logits (`RoutingRecord.taskLogits`) against the task ids, so the
/// classifier that stands in for missing task ids can be trained. Throws when the record has no
/// classifier logits, or the task ids do not match the batch or the classifier's tasks.
public func taskClassifierLoss(_ routing: RoutingRecord, tasks: [Int]) throws(MoEConfigurationError) -> Tensor {
  guard let taskLogits = routing.taskLogits else {
    throw .unsupported(function: "taskClassifierLoss", message: "the router has no task classifier (only TaskGate has)")
  }
  if tasks.count != routing.tokenCount {
    throw .inconsistentInput(
      function: "taskClassifierLoss", message: "\(tasks.count) task ids for a batch of \(routing.tokenCount) inputs")
  }
  let taskCount = taskLogits.shape[1]
  if let bad = tasks.firstIndex(where: { $0 < 0 || $0 >= taskCount }) {
    throw .inconsistentInput(
      function: "taskClassifierLoss", message: "task id \(tasks[bad]) at position \(bad) is outside 0..<\(taskCount)")
  }
  return crossEntropy(taskLogits, labels: tasks)
}

/// Mean entropy of the gate's distribution, H = mean over tokens of -sum_e p_e log p_e (nats).
/// log E for a uniform gate, 0 for a one-hot gate. Add +lambda H to push toward decisive gates, -lambda H
/// to keep them soft.
public func gateEntropy(_ routing: RoutingRecord) -> Tensor {
  let p = routing.probabilities
  return -(p * p.clamp(min: 1e-30).log()).sum(axis: 1).mean()
}
