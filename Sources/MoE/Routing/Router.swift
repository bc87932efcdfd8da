import NeuralNetworks

/// What a router may need beside the input.
public struct RoutingContext {
  /// Task id of each token, for task-gated mixtures; nil when the task is not known.
  public var tasks: [Int]?
  /// Standard normal noise of shape [N, E] for the noisy top-k gate, replacing its own draw
  /// (tests fix it to check gradients; nil in normal use).
  public var noise: Tensor?
  /// Length of each token's sequence, for sequence experts; restricted to a sub-batch's rows like `tasks`.
  public var lengths: [Int]?

  public init(tasks: [Int]? = nil, noise: Tensor? = nil, lengths: [Int]? = nil) {
    self.tasks = tasks
    self.noise = noise
    self.lengths = lengths
  }

  /// The context of a sub-batch made of `rows` of this batch (for nested mixtures and sequence experts).
  public func restricted(to rows: [Int]) -> RoutingContext {
    RoutingContext(
      tasks: tasks.map { tasks in rows.map { tasks[$0] } }, noise: nil,
      lengths: lengths.map { lengths in rows.map { lengths[$0] } })
  }
}

/// A gate or router: maps a batch of inputs [N, inputSize] to a routing decision over `expertCount` experts.
public protocol Router: Module {
  var inputSize: Int { get }
  var expertCount: Int { get }
  func route(_ input: Tensor, context: RoutingContext) -> GateDecision
}

extension Router {
  /// Routes without context (no task ids, the gate's own noise).
  public func route(_ input: Tensor) -> GateDecision { route(input, context: RoutingContext()) }
}

/// What a router decided for one batch.
public struct GateDecision {
  /// [N, E] logits of the distribution below: probabilities = softmax(logits). For a gate with a
  /// temperature T these are the linear scores divided by T.
  public let logits: Tensor
  /// [N, E] the router's distribution over experts (for losses and statistics), always softmax(logits).
  public let probabilities: Tensor
  /// [N, E] the logits before any restriction: equal to `logits` except for `TaskGate`, whose logits
  /// are -inf outside each input's group. `routerZLoss` reads these, so it stays finite.
  public let unmaskedLogits: Tensor
  /// [N, tasks] the task classifier's logits of a `TaskGate` (nil for other routers), for `taskClassifierLoss`.
  public let taskLogits: Tensor?
  /// Which experts compute which tokens, and their combine weights.
  public let choice: RoutingChoice
  /// Pairs the router chose but could not fit (capacity): not computed.
  public let droppedAssignments: [ExpertAssignments.Pair]
  /// Differentiable estimate of each expert's load [E] (the noisy top-k gate's), if the router has one.
  public let load: Tensor?

  public init(
    logits: Tensor, probabilities: Tensor, choice: RoutingChoice, droppedAssignments: [ExpertAssignments.Pair] = [],
    load: Tensor? = nil, unmaskedLogits: Tensor? = nil, taskLogits: Tensor? = nil
  ) {
    self.logits = logits
    self.probabilities = probabilities
    self.unmaskedLogits = unmaskedLogits ?? logits
    self.taskLogits = taskLogits
    self.choice = choice
    self.droppedAssignments = droppedAssignments
    self.load = load
  }

  /// A dense decision: every token to every expert, weighted by `weights` [N, E].
  public init(logits: Tensor, probabilities: Tensor, denseWeights weights: Tensor) {
    self.init(logits: logits, probabilities: probabilities, choice: .dense(weights: weights))
  }

  public var tokenCount: Int { logits.shape[0] }
  public var expertCount: Int { logits.shape[1] }
  /// Whether every token goes to every expert (a dense gate).
  public var isDense: Bool { choice.isDense }

  /// [N, E] combine weights, zero where a pair is not computed (differentiable).
  public var combineMatrix: Tensor { choice.combineMatrix(tokenCount: tokenCount, expertCount: expertCount) }

  /// The computed pairs grouped by expert, as the mixture's sparse dispatch runs them.
  public var assignments: ExpertAssignments {
    ExpertAssignments(grouping: choice, tokenCount: tokenCount, expertCount: expertCount)
  }
}
