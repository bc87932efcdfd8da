#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A learning rate as a function of the step (0-based). Set `optimizer.learningRate = schedule(step)`.
public protocol LearningRateSchedule: Sendable {
  func callAsFunction(_ step: Int) -> Float
}

/// The same rate at every step.
public struct ConstantLearningRate: LearningRateSchedule {
  public let rate: Float
  public init(_ rate: Float) { self.rate = rate }
  public func callAsFunction(_ step: Int) -> Float { rate }
}

/// rate = initial * gamma^floor(step / stepSize): drops by `gamma` every `stepSize` steps.
public struct StepDecay: LearningRateSchedule {
  public let initial: Float
  public let stepSize: Int
  public let gamma: Float

  public init(initial: Float, stepSize: Int, gamma: Float = 0.1) {
    if stepSize <= 0 { tensorFailure("StepDecay: stepSize = \(stepSize) must be positive") }
    self.initial = initial
    self.stepSize = stepSize
    self.gamma = gamma
  }

  public func callAsFunction(_ step: Int) -> Float {
    initial * powf(gamma, Float(Swift.max(step, 0) / stepSize))
  }
}

/// Linear warm-up from 0 to `peak` over `warmupSteps`, then a cosine decay to `minimum` at `totalSteps`:
///   step < warmup:  peak * (step + 1) / warmup
///   otherwise:      minimum + (peak - minimum) * (1 + cos(pi * progress)) / 2,
///                   progress = (step - warmup) / (total - warmup), held at 1 after the end.
public struct CosineDecay: LearningRateSchedule {
  public let peak: Float
  public let minimum: Float
  public let warmupSteps: Int
  public let totalSteps: Int

  public init(peak: Float, totalSteps: Int, warmupSteps: Int = 0, minimum: Float = 0) {
    if totalSteps <= 0 || warmupSteps < 0 || warmupSteps >= totalSteps {
      tensorFailure(
        "CosineDecay: need 0 <= warmupSteps < totalSteps, got warmupSteps = \(warmupSteps), totalSteps = \(totalSteps)")
    }
    self.peak = peak
    self.minimum = minimum
    self.warmupSteps = warmupSteps
    self.totalSteps = totalSteps
  }

  public func callAsFunction(_ step: Int) -> Float {
    if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
    let progress = Swift.min(1, Float(step - warmupSteps) / Float(totalSteps - warmupSteps))
    return minimum + (peak - minimum) * (1 + cosf(Float.pi * progress)) / 2
  }
}
