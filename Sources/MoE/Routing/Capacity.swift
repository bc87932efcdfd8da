import NeuralNetworks

/// Limits a token choice to `capacity` tokens per expert, as Switch Transformer and GShard do:
/// slots are served by rank first (every token's first choice before any second choice), then in
/// token order; a slot that finds its expert full is dropped, marked `RoutingChoice.notComputed`
/// with weight 0, and listed in `dropped`.
///
/// `experts` and `weights` are a token choice's [N, k] expert indices and weights.
func limitCapacity(
  experts: [Int], weights: Tensor, expertCount: Int, capacity: Int
) -> (choice: RoutingChoice, dropped: [ExpertAssignments.Pair]) {
  let (tokens, k) = (weights.shape[0], weights.shape[1])
  var used = [Int](repeating: 0, count: expertCount)
  var kept = experts
  var dropped: [ExpertAssignments.Pair] = []
  for rank in 0..<k {
    for token in 0..<tokens {
      let slot = token * k + rank
      let expert = experts[slot]
      if expert == RoutingChoice.notComputed { continue }
      if used[expert] < capacity {
        used[expert] += 1
      } else {
        kept[slot] = RoutingChoice.notComputed
        dropped.append(ExpertAssignments.Pair(token: token, expert: expert))
      }
    }
  }
  if dropped.isEmpty { return (.tokenChoice(experts: kept, weights: weights), []) }
  // Multiplying by an exact 0/1 mask leaves the kept weights and their gradients bit for bit.
  let mask = Tensor(shape: [tokens, k], scalars: kept.map { $0 == RoutingChoice.notComputed ? 0 : 1 })
  return (.tokenChoice(experts: kept, weights: weights * mask), dropped)
}
