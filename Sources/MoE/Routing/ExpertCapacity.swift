import NeuralNetworks

/// The order in which a capacity-limited expert serves the tokens that chose it. Both orders serve
/// by rank first: every token's first choice before any token's second choice.
public enum CapacityPriority: Sendable, Equatable {
  /// Within a rank, tokens in batch order, as Switch Transformer (Fedus et al. 2021) and GShard
  /// (Lepikhin et al. 2020): under pressure the last tokens of the batch are dropped.
  case position
  /// Within a rank, tokens by decreasing highest router probability, max_e p_e(x), ties in batch
  /// order: batch-prioritized routing (Riquelme et al. 2021, "Scaling vision with sparse mixture of
  /// experts"), so the tokens the router is surest about are the last to be dropped.
  case probability
}

extension RoutingChoice {
  /// This token choice with at most `capacity` tokens per expert: slots are served in the order of
  /// `priority` (rank first, then token order or decreasing max_e p_e(x), `probabilities` [N, E]);
  /// a slot that finds its expert full is dropped: marked `notComputed`, its weight set to 0, and
  /// listed in `dropped` in serving order. The one capacity rule of Switch and GShard.
  public func limited(
    toCapacity capacity: Int, expertCount: Int, priority: CapacityPriority, probabilities: Tensor
  ) -> (choice: RoutingChoice, dropped: [ExpertAssignments.Pair]) {
    guard case .tokenChoice(let experts, let weights) = self else {
      tensorFailure("RoutingChoice.limited(toCapacity:): capacity applies to a token choice, got \(self)")
    }
    let (tokens, k) = (weights.shape[0], weights.shape[1])
    var order = Array(0..<tokens)
    if priority == .probability {
      var highest = [Float](repeating: 0, count: tokens)
      probabilities.withScalars { p in
        let width = p.count / max(tokens, 1)
        for token in 0..<tokens { highest[token] = p[(token * width)..<((token + 1) * width)].max() ?? 0 }
      }
      order.sort { highest[$0] != highest[$1] ? highest[$0] > highest[$1] : $0 < $1 }
    }
    var used = [Int](repeating: 0, count: expertCount)
    var kept = experts
    var dropped: [ExpertAssignments.Pair] = []
    for rank in 0..<k {
      for token in order {
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
    if dropped.isEmpty { return (self, []) }
    // Multiplying by an exact 0/1 mask leaves the kept weights and their gradients bit for bit.
    let mask = Tensor(shape: [tokens, k], scalars: kept.map { $0 == RoutingChoice.notComputed ? 0 : 1 })
    return (.tokenChoice(experts: kept, weights: weights * mask), dropped)
  }
}

/// ceil(factor * tokens * choicesPerToken / experts): the expert capacity of Switch and GShard.
func expertCapacity(factor: Float, tokens: Int, choicesPerToken: Int, experts: Int) -> Int {
  Int((factor * Float(tokens * choicesPerToken) / Float(experts)).rounded(.up))
}
