/// Stochastic gradient descent with optional momentum and weight decay (PyTorch's SGD):
///   g = grad + weightDecay * p
///   b = momentum * b + g            (b = g on the parameter's first step)
///   p = p - learningRate * (nesterov ? g + momentum * b : b)
public final class SGD: Optimizer {
  public var learningRate: Float
  public let momentum: Float
  public let weightDecay: Float
  public let nesterov: Bool
  private var states: ParameterStates<MomentumBuffer>

  public init(
    parameters: [Tensor], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0,
    nesterov: Bool = false
  ) {
    requireHyperparameter(learningRate >= 0, "SGD", "learningRate", learningRate, "must be >= 0")
    requireHyperparameter(momentum >= 0, "SGD", "momentum", momentum, "must be >= 0")
    requireHyperparameter(weightDecay >= 0, "SGD", "weightDecay", weightDecay, "must be >= 0")
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.nesterov = nesterov
    states = ParameterStates(parameters) { _ in MomentumBuffer() }
  }

  public var parameters: [Tensor] { states.parameters }

  public func add(parameters: [Tensor]) { states.add(parameters) }

  public func remove(parameters: [Tensor]) { states.remove(parameters) }

  public func step() {
    let (rate, decay, mu) = (learningRate, weightDecay, momentum)
    for (parameter, state) in states.entries where parameter.requiresGrad {
      parameter.withGradient { grad in
        parameter.withMutableScalars { p in
          if mu == 0 {
            for i in 0..<p.count { p[i] -= rate * (grad[i] + decay * p[i]) }
            return
          }
          // PyTorch starts a parameter's buffer at its first gradient, not at zero.
          let first = state.values.isEmpty
          if first { state.values = [Float](repeating: 0, count: p.count) }
          state.values.withUnsafeMutableBufferPointer { b in
            for i in 0..<p.count {
              let g = grad[i] + decay * p[i]
              b[i] = first ? g : mu * b[i] + g
              p[i] -= rate * (nesterov ? g + mu * b[i] : b[i])
            }
          }
        }
      }
    }
  }
}

/// SGD's momentum buffer b of one parameter, empty until its first step.
final class MomentumBuffer {
  var values: [Float] = []
}
