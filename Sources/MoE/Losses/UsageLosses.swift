import NeuralNetworks

// Three more auxiliary losses on how the router spreads its probability, as the advanced framework
// of the course's sources lists them (variance, Gini coefficient, diversity). Each reads the router's
// probabilities g [N, E] (softmax of the logits, `RoutingRecord.probabilities`), is differentiable in
// them, and states its value for perfectly balanced routing. Their overloads on `[N, E]` tensors exist
// so a finite-difference check can reach them directly.

/// The variance of expert usage: with P_e = mean over the batch of g_e(x) (the share of probability
/// expert e gets),
///
///     L = mean_e (P_e - mean_e P)^2
///
/// 0 when every expert gets the same share; (E - 1) / E^2 when all of it goes to one expert (rows of g
/// summing to 1). It is the unnormalized form of the cv^2 losses: cv^2 = L / (mean_e P)^2.
public func usageVarianceLoss(_ routing: RoutingRecord) -> Tensor {
  usageVarianceLoss(probabilities: routing.probabilities)
}

public func usageVarianceLoss(probabilities: Tensor) -> Tensor {
  let share = probabilities.mean(axis: 0)
  return (share - share.mean()).squared().mean()
}

/// The Gini coefficient of expert usage, with P as for `usageVarianceLoss`:
///
///     G = sum_i sum_j |P_i - P_j| / (2 E sum_i P_i)
///
/// 0 when every expert gets the same share; (E - 1) / E when one expert gets everything. |.| has no
/// derivative where two shares are equal; the gradient there is the subgradient 0 of that pair.
public func giniLoss(_ routing: RoutingRecord) -> Tensor { giniLoss(probabilities: routing.probabilities) }

public func giniLoss(probabilities: Tensor) -> Tensor {
  let share = probabilities.mean(axis: 0)
  let experts = share.count
  let differences = share.reshaped([experts, 1]) - share.reshaped([1, experts])
  return differences.abs().sum() / (2 * Float(experts) * share.sum())
}

/// Diversity of routing across inputs: the mean cosine similarity of the routing distributions of two
/// different inputs,
///
///     D = 1 / (N (N - 1)) sum_{n != m} g(x_n) . g(x_m) / (|g(x_n)| |g(x_m)|)
///
/// 1 when every input is routed the same way, lower as inputs spread over different experts (0 when
/// no two inputs share an expert). Minimizing it encourages diverse expert selection. Needs N >= 2.
public func diversityLoss(_ routing: RoutingRecord) -> Tensor { diversityLoss(probabilities: routing.probabilities) }

public func diversityLoss(probabilities: Tensor) -> Tensor {
  let count = probabilities.shape[0]
  if count < 2 { tensorFailure("diversityLoss: needs at least 2 inputs, got \(count)") }
  let norms = probabilities.squared().sum(axis: 1, keepDimensions: true).sqrt()
  let unit = probabilities / norms
  let similarity = unit.matmul(unit.transposed())
  // The diagonal is 1 for every input (a unit vector with itself): take it out of the sum.
  return (similarity.sum() - Float(count)) / Float(count * (count - 1))
}
