import NeuralNetworks

/// Stops training when a validation metric has not improved for `patience` epochs in a row.
///
/// An epoch improves when its value beats the best so far by more than `minimumImprovement`
/// (value < best - minimumImprovement when minimizing, value > best + minimumImprovement when
/// maximizing). With `restoresBestParameters`, the parameters and buffers of the best epoch are
/// copied back into the model when training ends.
public struct EarlyStopping: Sendable, Equatable {
  public enum Goal: Sendable, Equatable {
    case minimize, maximize
  }

  /// The key of the validation metrics to watch.
  public let metric: String
  public let goal: Goal
  /// Epochs without improvement tolerated before stopping (1 stops at the first epoch that fails to improve).
  public let patience: Int
  public let minimumImprovement: Double
  public let restoresBestParameters: Bool

  public init(
    metric: String, goal: Goal, patience: Int, minimumImprovement: Double = 0, restoresBestParameters: Bool = true
  ) {
    self.metric = metric
    self.goal = goal
    self.patience = patience
    self.minimumImprovement = minimumImprovement
    self.restoresBestParameters = restoresBestParameters
  }

  func improves(_ value: Double, on best: Double?) -> Bool {
    guard let best else { return !value.isNaN }
    switch goal {
    case .minimize: return value < best - minimumImprovement
    case .maximize: return value > best + minimumImprovement
    }
  }
}

/// How often a learning-rate schedule advances.
public enum ScheduleUnit: Sendable, Equatable {
  /// rate = schedule(epoch), for the whole epoch.
  case epoch
  /// rate = schedule(step), step counting optimizer steps from 0 across epochs.
  case step
}

/// The optional parts of a training loop.
public struct TrainingOptions: Sendable {
  /// Clips the global gradient norm of the trained parameters to this value before each step
  /// (`clipGradientNorm`, PyTorch's clip_grad_norm_); nil leaves gradients alone.
  public var maximumGradientNorm: Float?
  /// Sets the optimizer's learning rate before each epoch or step; nil keeps the optimizer's rate.
  public var schedule: (any LearningRateSchedule)?
  public var scheduleUnit: ScheduleUnit
  public var earlyStopping: EarlyStopping?

  public init(
    maximumGradientNorm: Float? = nil, schedule: (any LearningRateSchedule)? = nil, scheduleUnit: ScheduleUnit = .epoch,
    earlyStopping: EarlyStopping? = nil
  ) {
    self.maximumGradientNorm = maximumGradientNorm
    self.schedule = schedule
    self.scheduleUnit = scheduleUnit
    self.earlyStopping = earlyStopping
  }

  func validate(epochs: Int, hasValidation: Bool) throws(TrainingError) {
    if epochs < 0 { throw .invalidOption(name: "fit: epochs", value: "\(epochs)", rule: "must be >= 0") }
    if let norm = maximumGradientNorm, !(norm > 0) {
      throw .invalidOption(name: "fit: maximumGradientNorm", value: "\(norm)", rule: "must be positive")
    }
    if let stopping = earlyStopping {
      if stopping.patience < 1 {
        throw .invalidOption(name: "fit: earlyStopping.patience", value: "\(stopping.patience)", rule: "must be >= 1")
      }
      if !(stopping.minimumImprovement >= 0) {
        throw .invalidOption(
          name: "fit: earlyStopping.minimumImprovement", value: "\(stopping.minimumImprovement)", rule: "must be >= 0")
      }
      if !hasValidation {
        throw .invalidOption(
          name: "fit: earlyStopping.metric", value: "'\(stopping.metric)'",
          rule: "needs a validate closure that returns it")
      }
    }
  }
}
