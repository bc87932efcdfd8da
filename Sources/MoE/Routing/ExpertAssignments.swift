import NeuralNetworks

/// Which tokens each expert processes, grouped by expert (a compressed sparse layout).
///
/// The tokens of expert e are `tokens[offsets[e] ..< offsets[e + 1]]`; grouping them makes each
/// expert's input one contiguous block, so the expert runs one matrix product on it. Assignment a
/// takes its combine weight from element `weightIndices[a]` of the gate's weight tensor.
public struct ExpertAssignments: Sendable {
  /// One routed (token, expert) pair and where its weight lives in the gate's weight tensor.
  public struct Pair: Sendable, Equatable {
    public var token: Int
    public var expert: Int
    public var weightIndex: Int
    public init(token: Int, expert: Int, weightIndex: Int) {
      self.token = token
      self.expert = expert
      self.weightIndex = weightIndex
    }
  }

  public let expertCount: Int
  public let tokenCount: Int
  /// expertCount + 1 offsets into `tokens` and `weightIndices`.
  public let offsets: [Int]
  /// Token index of each assignment, grouped by expert.
  public let tokens: [Int]
  /// Flat index into the gate's weight tensor of each assignment.
  public let weightIndices: [Int]

  /// Groups `pairs` by expert with a stable counting sort, so the order within an expert is the
  /// order of `pairs`.
  public init(expertCount: Int, tokenCount: Int, pairs: [Pair]) {
    var counts = [Int](repeating: 0, count: expertCount + 1)
    for pair in pairs { counts[pair.expert + 1] += 1 }
    for expert in 0..<expertCount { counts[expert + 1] += counts[expert] }
    var next = counts
    var tokens = [Int](repeating: 0, count: pairs.count)
    var weightIndices = [Int](repeating: 0, count: pairs.count)
    for pair in pairs {
      let slot = next[pair.expert]
      tokens[slot] = pair.token
      weightIndices[slot] = pair.weightIndex
      next[pair.expert] += 1
    }
    self.expertCount = expertCount
    self.tokenCount = tokenCount
    self.offsets = counts
    self.tokens = tokens
    self.weightIndices = weightIndices
  }

  /// Every token to every expert; the weight of (n, e) is element n * expertCount + e of an [N, E] tensor.
  public static func everyPair(tokenCount: Int, expertCount: Int) -> ExpertAssignments {
    var pairs: [Pair] = []
    pairs.reserveCapacity(tokenCount * expertCount)
    for token in 0..<tokenCount {
      for expert in 0..<expertCount {
        pairs.append(Pair(token: token, expert: expert, weightIndex: token * expertCount + expert))
      }
    }
    return ExpertAssignments(expertCount: expertCount, tokenCount: tokenCount, pairs: pairs)
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
