import NeuralNetworks

/// Which experts compute which tokens, and with what weight: the one decision every router makes,
/// in one of three shapes.
///
/// - `dense`: every token goes to every expert; `weights` [N, E] is the combine matrix
///   (a softmax gate, Jacobs et al. 1991).
/// - `tokenChoice`: each token chose k experts, as `torch.topk` returns them: `experts` [N, k]
///   (row-major) and `weights` [N, k]. Slot (n, j) sends token n to expert `experts[n * k + j]`
///   with weight `weights[n, j]`. A slot marked `notComputed` (-1), dropped by capacity or below a
///   threshold, has weight 0 and is not computed. Top-k, Switch, GShard, threshold and task gates.
/// - `expertChoice`: each expert chose C tokens (Zhou et al. 2022): `tokens` [E, C] (row-major) and
///   `weights` [E, C]. Slot (e, c) sends token `tokens[e * C + c]` to expert e with weight `weights[e, c]`.
///
/// The weights stay connected to the graph, so the output's gradient reaches the router.
public enum RoutingChoice {
  case dense(weights: Tensor)
  case tokenChoice(experts: [Int], weights: Tensor)
  case expertChoice(tokens: [Int], weights: Tensor)

  /// The expert index of a token-choice slot that is not computed.
  public static let notComputed = -1

  /// The weights tensor, in the choice's own shape.
  public var weights: Tensor {
    switch self {
    case .dense(let weights), .tokenChoice(_, let weights), .expertChoice(_, let weights): return weights
    }
  }

  public var isDense: Bool {
    if case .dense = self { return true }
    return false
  }

  /// [N, E] combine weights g_e(x_n), zero where token n does not go to expert e (differentiable).
  func combineMatrix(tokenCount: Int, expertCount: Int) -> Tensor {
    let positions: [Int]
    let slots: [Int]
    switch self {
    case .dense(let weights):
      return weights
    case .tokenChoice(let experts, let weights):
      let k = weights.shape[1]
      slots = experts.indices.filter { experts[$0] != RoutingChoice.notComputed }
      positions = slots.map { slot in (slot / k) * expertCount + experts[slot] }
    case .expertChoice(let tokens, let weights):
      let capacity = weights.shape[1]
      slots = Array(tokens.indices)
      positions = slots.map { slot in tokens[slot] * expertCount + slot / capacity }
    }
    if slots.isEmpty { return Tensor.zeros([tokenCount, expertCount]) }
    let flat = weights.reshaped([weights.count, 1])
    let chosen = slots.count == weights.count ? flat : flat.indexSelect(rows: slots)
    return Tensor.zeros([tokenCount * expertCount, 1]).indexAdd(rows: positions, chosen)
      .reshaped([tokenCount, expertCount])
  }
}
