import NeuralNetworks

/// A routing choice grouped by expert, the layout sparse dispatch runs on (compressed sparse rows).
///
/// The tokens of expert e are `tokens[offsets[e] ..< offsets[e + 1]]`, in increasing token order
/// for a dense or token choice and in the expert's own order for an expert choice; grouping them
/// makes each expert's input one contiguous block, so the expert runs one matrix product on it.
/// Only the mixture builds this layout; routers describe their decision as a `RoutingChoice`.
public struct ExpertAssignments: Sendable {
  /// One (token, expert) pair.
  public struct Pair: Sendable, Equatable {
    public var token: Int
    public var expert: Int
    public init(token: Int, expert: Int) {
      self.token = token
      self.expert = expert
    }
  }

  public let expertCount: Int
  public let tokenCount: Int
  /// expertCount + 1 offsets into `tokens`.
  public let offsets: [Int]
  /// Token index of each assignment, grouped by expert.
  public let tokens: [Int]
  /// Where each assignment's weight sits in the choice's weights tensor, as a flat row-major index.
  let weightSlots: [Int]

  /// Groups the computed pairs of `choice` by expert with a stable counting sort.
  public init(grouping choice: RoutingChoice, tokenCount: Int, expertCount: Int) {
    var experts: [Int]
    var tokens: [Int]
    switch choice {
    case .dense:
      // Slot n * E + e of the [N, E] weights is the pair (n, e).
      experts = (0..<(tokenCount * expertCount)).map { $0 % expertCount }
      tokens = (0..<(tokenCount * expertCount)).map { $0 / expertCount }
    case .tokenChoice(let chosen, let weights):
      let k = weights.shape[1]
      experts = chosen
      tokens = chosen.indices.map { $0 / k }
    case .expertChoice(let chosen, let weights):
      let capacity = weights.shape[1]
      experts = chosen.indices.map { $0 / capacity }
      tokens = chosen
    }
    var counts = [Int](repeating: 0, count: expertCount + 1)
    for expert in experts where expert != RoutingChoice.notComputed { counts[expert + 1] += 1 }
    for expert in 0..<expertCount { counts[expert + 1] += counts[expert] }
    var next = counts
    var groupedTokens = [Int](repeating: 0, count: counts[expertCount])
    var weightSlots = [Int](repeating: 0, count: counts[expertCount])
    for slot in experts.indices where experts[slot] != RoutingChoice.notComputed {
      let position = next[experts[slot]]
      groupedTokens[position] = tokens[slot]
      weightSlots[position] = slot
      next[experts[slot]] += 1
    }
    self.expertCount = expertCount
    self.tokenCount = tokenCount
    self.offsets = counts
    self.tokens = groupedTokens
    self.weightSlots = weightSlots
  }

  /// The combine weight of each assignment, [A], gathered from the choice's weights (differentiable).
  func weights(from choice: RoutingChoice) -> Tensor {
    let weights = choice.weights
    if weights.count == count && weightSlots.elementsEqual(0..<count) { return weights.reshaped([count]) }
    return weights.reshaped([weights.count, 1]).indexSelect(rows: weightSlots).reshaped([-1])
  }

  /// Number of assignments.
  public var count: Int { tokens.count }

  /// Tokens routed to `expert`, in assignment order.
  public func tokens(of expert: Int) -> ArraySlice<Int> { tokens[offsets[expert]..<offsets[expert + 1]] }

  /// How many tokens each expert processes.
  public var tokensPerExpert: [Int] { (0..<expertCount).map { offsets[$0 + 1] - offsets[$0] } }

  /// The experts each token is routed to, in increasing expert order.
  public var expertsPerToken: [[Int]] {
    var result = [[Int]](repeating: [], count: tokenCount)
    for expert in 0..<expertCount {
      for token in tokens(of: expert) { result[token].append(expert) }
    }
    return result
  }

  /// Tokens that no expert processes.
  public var unroutedTokens: [Int] {
    var routed = [Bool](repeating: false, count: tokenCount)
    for token in tokens { routed[token] = true }
    return (0..<tokenCount).filter { !routed[$0] }
  }
}
