import NeuralNetworks

/// Everything a mixture decided in one forward pass, for losses, statistics and figures.
///
/// Tensors in the record stay connected to the graph, so an auxiliary loss computed from it
/// (`loadBalancingLoss`, `routerZLoss`, ...) trains the gate.
public struct RoutingRecord {
  /// The gate's decision: logits, probabilities, combine weights, assignments, dropped pairs, load.
  public let decision: GateDecision
  /// The (token, expert) pairs whose expert output was computed (N * E in dense dispatch).
  public let expertEvaluations: Int
  /// For each expert that is itself a mixture, its own record and the rows of this batch it saw.
  public let nested: [NestedRouting?]
  /// The pairs a sparse mixture ran, grouped by expert; nil when they are the decision's own.
  private let computedAssignments: ExpertAssignments?

  /// The computed (token, expert) pairs, grouped by expert. A dense mixture's are grouped from its
  /// decision only when asked for: building N * E pairs on every forward pass would cost a dense
  /// mixture's inference more than its experts do.
  public var assignments: ExpertAssignments { computedAssignments ?? decision.assignments }

  /// `assignments` defaults to the decision's, grouped on request; a sparse mixture passes the ones it ran.
  public init(
    decision: GateDecision, assignments: ExpertAssignments? = nil, expertEvaluations: Int, nested: [NestedRouting?]
  ) {
    self.decision = decision
    self.computedAssignments = assignments
    self.expertEvaluations = expertEvaluations
    self.nested = nested
  }

  public var tokenCount: Int { decision.tokenCount }
  public var expertCount: Int { decision.expertCount }
  /// [N, E], see `GateDecision.logits`.
  public var logits: Tensor { decision.logits }
  /// [N, E], see `GateDecision.probabilities`.
  public var probabilities: Tensor { decision.probabilities }
  /// [N, E], see `GateDecision.unmaskedLogits`.
  public var unmaskedLogits: Tensor { decision.unmaskedLogits }
  /// [N, tasks] a `TaskGate`'s classifier logits, nil for other routers.
  public var taskLogits: Tensor? { decision.taskLogits }
  /// [N, E] combine weights actually applied, zero for pairs not routed or dropped.
  public var combineMatrix: Tensor { decision.combineMatrix }
  public var droppedAssignments: [ExpertAssignments.Pair] { decision.droppedAssignments }
  public var load: Tensor? { decision.load }

  /// Tokens each expert processed.
  public var tokensPerExpert: [Int] { assignments.tokensPerExpert }
  /// The experts each token was routed to (after capacity), in increasing expert order.
  public var expertsPerToken: [[Int]] { assignments.expertsPerToken }
  /// The expert with the largest probability for each token (the gate's arg-max).
  public var argmaxExperts: [Int] { probabilities.argmax(axis: 1) }
  /// Tokens no expert processed: dropped by capacity, chosen by no expert, or below every threshold.
  public var unroutedTokens: [Int] { assignments.unroutedTokens }
  /// Tokens that lost every choice they had to capacity.
  public var droppedTokens: [Int] {
    let unrouted = Set(unroutedTokens)
    return Array(Set(droppedAssignments.map(\.token)).filter { unrouted.contains($0) }).sorted()
  }
  /// Share of the batch's tokens dropped by capacity.
  public var droppedTokenFraction: Double { tokenCount == 0 ? 0 : Double(droppedTokens.count) / Double(tokenCount) }
  /// Expert evaluations performed / N * E, the cost relative to running every expert on every token.
  public var computeFraction: Double {
    tokenCount * expertCount == 0 ? 0 : Double(expertEvaluations) / Double(tokenCount * expertCount)
  }
  /// Expert evaluations a dense mixture would make but this one skipped.
  public var skippedEvaluations: Int { tokenCount * expertCount - expertEvaluations }
}

/// The record of a mixture used as an expert, with the rows of the parent batch it processed
/// (row i of its batch is row `tokens[i]` of the parent's).
public struct NestedRouting {
  public let tokens: [Int]
  public let record: RoutingRecord
}
