import NeuralNetworks

/// A task-gated mixture's gate, for continual learning: each task owns a group of experts, and the
/// gate mixes only the experts of the input's task,
///
///     g(x, t) = softmax over the experts of group t of (x W^T + b), zero for every other expert.
///
/// Training task t then changes only group t's experts (and the gate rows of group t), which is
/// what protects earlier tasks from being overwritten. When the task id is not given, a learned
/// task classifier q(t | x) = softmax(x V^T + c) stands in for it:
///
///     g(x) = sum_t q(t | x) g(x, t)
///
/// Parameters: `weight` [E, inputSize], `bias` [E], `taskClassifier.weight` [tasks, inputSize], `taskClassifier.bias`.
public final class TaskGate: ScoringRouter {
  public let scores: ExpertScoringLayer
  public let taskClassifier: Linear
  /// groups[t] lists the experts of task t.
  public let groups: [[Int]]
  /// masks[t][e] = 1 for the experts outside group t. Kept as plain arrays: a stored `Tensor`
  /// would be found by reflection and taken for a parameter.
  private let masks: [[Float]]

  public var taskCount: Int { groups.count }

  public init(inputSize: Int, expertCount: Int, groups: [[Int]], using generator: inout SeededGenerator)
    throws(MoEConfigurationError)
  {
    try requireOption(!groups.isEmpty, "TaskGate", "groups", "groups must name at least one task")
    for (task, group) in groups.enumerated() {
      try requireOption(!group.isEmpty, "TaskGate", "groups", "group \(task) has no experts")
      for expert in group {
        try requireOption(
          expert >= 0 && expert < expertCount, "TaskGate", "groups",
          "group \(task) names expert \(expert), outside 0..<\(expertCount)")
      }
    }
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    taskClassifier = Linear(inputSize, groups.count, using: &generator)
    self.groups = groups
    masks = groups.map { group in
      var outside = [Float](repeating: 1, count: expertCount)
      for expert in group { outside[expert] = 0 }
      return outside
    }
  }

  /// Groups of `expertsPerTask` consecutive experts, one group per task.
  public convenience init(
    inputSize: Int, tasks: Int, expertsPerTask: Int, using generator: inout SeededGenerator
  ) throws(MoEConfigurationError) {
    let groups = (0..<tasks).map { task in Array((task * expertsPerTask)..<((task + 1) * expertsPerTask)) }
    try self.init(inputSize: inputSize, expertCount: tasks * expertsPerTask, groups: groups, using: &generator)
  }

  /// The restriction to a task's group is expressed in the logits: with task ids, the record's logits
  /// are the scores with -inf outside the group, so probabilities = softmax(logits) is the gate's
  /// distribution and balance losses read it. Without task ids, the logits are log g(x) (clamped at
  /// 1e-30 so an expert with weight 0 keeps a finite gradient). `routerZLoss` reads the unmasked
  /// scores instead (`unmaskedLogits`), where logsumexp stays finite. The classifier's logits
  /// (`taskLogits`) are always recorded, so `taskClassifierLoss` can train it alongside.
  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    let scores = scores(input, router: "TaskGate")
    let taskLogits = taskClassifier(input)
    let tokens = scores.shape[0]
    let logits: Tensor
    let weights: Tensor
    var allowed: [[Int]]
    if let tasks = context.tasks {
      if tasks.count != tokens {
        tensorFailure("TaskGate: \(tasks.count) task ids for a batch of \(tokens) inputs")
      }
      if let bad = tasks.firstIndex(where: { $0 < 0 || $0 >= taskCount }) {
        tensorFailure("TaskGate: task id \(tasks[bad]) at position \(bad) is outside 0..<\(taskCount)")
      }
      let rowMasks = Tensor(shape: [tokens, expertCount], scalars: tasks.flatMap { masks[$0] })
      logits = scores.maskedFill(rowMasks, value: -.infinity)
      weights = logits.softmax(axis: 1)
      allowed = tasks.map { groups[$0] }
    } else {
      let taskProbabilities = taskLogits.softmax(axis: 1)
      var mixed: Tensor? = nil
      for task in 0..<taskCount {
        let within = scores.maskedFill(Tensor(shape: [1, expertCount], scalars: masks[task]), value: -.infinity)
          .softmax(axis: 1)
        let term = taskProbabilities.slice(axis: 1, task..<(task + 1)) * within
        mixed = mixed.map { $0 + term } ?? term
      }
      weights = mixed!
      logits = weights.clamp(min: 1e-30).log()
      let union = Array(Set(groups.joined())).sorted()
      allowed = [[Int]](repeating: union, count: tokens)
    }
    // A token choice with k = E: slot (n, e) is expert e where e is allowed for token n. The weights
    // outside the allowed experts are already exactly 0 (softmax of -inf).
    var chosen = [Int](repeating: RoutingChoice.notComputed, count: tokens * expertCount)
    for token in 0..<tokens {
      for expert in allowed[token] { chosen[token * expertCount + expert] = expert }
    }
    // With task ids the combine weights are exactly softmax(logits); without, they are the mixture
    // g(x) itself, of which softmax(log g(x)) differs only by rounding.
    let probabilities = context.tasks == nil ? logits.softmax(axis: 1) : weights
    return GateDecision(
      logits: logits, probabilities: probabilities, choice: .tokenChoice(experts: chosen, weights: weights),
      unmaskedLogits: scores, taskLogits: taskLogits)
  }
}
