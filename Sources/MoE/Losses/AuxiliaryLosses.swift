import NeuralNetworks

// Auxiliary losses read a routing record and return a scalar connected to the gate, to be added
// (times a small coefficient) to the task loss. Each states its value for perfectly balanced routing.

/// Which tokens the fractions f_i of `loadBalancingLoss` count.
public enum LoadBalancingCount: Sendable {
  /// f_i = share of the tokens whose most probable expert is i (Switch's top-1 rule): f sums to 1.
  case mostProbableExpert
  /// f_i = share of the N k (token, expert) pairs the router chose that go to i (counting pairs
  /// capacity dropped, as Switch counts before capacity): f sums to 1, so the loss is 1 at balance
  /// for any k. DeepSeek-V3 normalizes the same way; Hugging Face's Mixtral loss sums f over the k
  /// slots instead, so its f sums to k and its value at balance is k.
  case chosenExperts
}

/// The Switch Transformer load-balancing loss (Fedus et al. 2021, eq. 4):
///
///     L = E * sum_i f_i * P_i
///
/// with P_i the mean over the batch of the router's probability of expert i (softmax over all E
/// logits) and f_i the fraction of tokens sent to expert i (see `LoadBalancingCount`; for a top-k
/// router the default counts only each token's most probable expert, as Switch's top-1 does).
/// f is a count (no gradient); P carries the gradient. It equals 1 when both are uniform
/// (f_i = P_i = 1/E) and grows to E when every token goes to one expert with certainty.
public func loadBalancingLoss(_ routing: RoutingRecord, counting: LoadBalancingCount) -> Tensor {
  let experts = routing.expertCount
  var counts = [Float](repeating: 0, count: experts)
  switch counting {
  case .mostProbableExpert:
    for expert in routing.argmaxExperts { counts[expert] += 1 }
  case .chosenExperts:
    for (expert, tokens) in routing.tokensPerExpert.enumerated() { counts[expert] += Float(tokens) }
    for pair in routing.droppedAssignments { counts[pair.expert] += 1 }
  }
  let total = counts.reduce(0, +)
  let fractions = counts.map { total > 0 ? $0 / total : 0 }
  let meanProbability = routing.probabilities.mean(axis: 0)
  return (meanProbability * Tensor(fractions)).sum() * Float(experts)
}

/// `loadBalancingLoss(_:counting:)` counting each token's most probable expert, as Switch does.
public func loadBalancingLoss(_ routing: RoutingRecord) -> Tensor {
  loadBalancingLoss(routing, counting: .mostProbableExpert)
}

/// Squared coefficient of variation, cv^2 = variance / (mean^2 + 1e-10) (population variance, and
/// the epsilon of Shazeer et al.'s code): 0 when all values are equal, larger the more unequal they
/// are. Scale-free. It is computed from the variance, never as (std / mean)^2: the square root has no
/// derivative at 0, so at perfect balance a cv^2 built on it would give NaN gradients.
public func squaredCoefficientOfVariation(_ values: Tensor) -> Tensor {
  let mean = values.mean()
  let variance = (values - mean).squared().mean()
  return variance / (mean.squared() + 1e-10)
}

/// The importance loss of Shazeer et al. (2017, section 4), without its weight w_importance:
///
///     L = cv^2(Importance),   Importance_i = sum over the batch of G_i(x)
///
/// with G the combine weights (zero for experts not chosen). 0 when every expert gets the same
/// total weight; E - 1 when one expert gets all of it.
public func importanceLoss(_ routing: RoutingRecord) -> Tensor {
  squaredCoefficientOfVariation(routing.combineMatrix.sum(axis: 0))
}

/// The load loss of Shazeer et al. (2017, appendix A), without its weight w_load:
/// L = cv^2(Load), with Load the smooth load estimate of `NoisyTopKGate` (differentiable), 0 when
/// balanced. A router without a load estimate throws: token counts carry no gradient, so a
/// silent fall-back to them would be a loss that trains nothing.
public func loadLoss(_ routing: RoutingRecord) throws(MoEConfigurationError) -> Tensor {
  guard let load = routing.load else {
    throw .unsupported(
      function: "loadLoss", message: "the router gives no load estimate (only NoisyTopKGate with k < E does)")
  }
  return squaredCoefficientOfVariation(load)
}

/// The router z-loss of ST-MoE (Zoph et al. 2022, eq. 5): L_z = mean over tokens of logsumexp(z)^2, with z
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

/// Mean entropy of the gate's distribution, H = mean over tokens of -sum_e p_e log p_e (nats), with
/// p = softmax of the logits (over all E experts). log E for a uniform gate, 0 for a one-hot gate.
/// It is the entropy of each token's routing, not of the batch's use of the experts: a gate that
/// sends every token to one expert with certainty has H = 0, and so does a perfectly balanced one. Add +lambda H to push toward decisive gates, -lambda H
/// to keep them soft.
public func gateEntropy(_ routing: RoutingRecord) -> Tensor {
  let p = routing.probabilities
  return -(p * p.clamp(min: 1e-30).log()).sum(axis: 1).mean()
}
