/// Stochastic gradient descent with optional momentum and weight decay (PyTorch's SGD):
///   g = grad + weightDecay * p
///   b = momentum * b + g            (b = g on the first step)
///   p = p - learningRate * (nesterov ? g + momentum * b : b)
public final class SGD: Optimizer {
  public let parameters: [Tensor]
  public var learningRate: Float
  public let momentum: Float
  public let weightDecay: Float
  public let nesterov: Bool
  private var buffers: [[Float]]
  private var started: Bool = false

  public init(
    parameters: [Tensor], learningRate: Float, momentum: Float = 0, weightDecay: Float = 0,
    nesterov: Bool = false
  ) {
    requireHyperparameter(learningRate >= 0, "SGD", "learningRate", learningRate, "must be >= 0")
    requireHyperparameter(momentum >= 0, "SGD", "momentum", momentum, "must be >= 0")
    requireHyperparameter(weightDecay >= 0, "SGD", "weightDecay", weightDecay, "must be >= 0")
    self.parameters = uniqueTrainable(parameters)
    self.learningRate = learningRate
    self.momentum = momentum
    self.weightDecay = weightDecay
    self.nesterov = nesterov
    buffers = momentum == 0 ? [] : self.parameters.map { [Float](repeating: 0, count: $0.count) }
  }

  public func step() {
    let (rate, decay, mu, first) = (learningRate, weightDecay, momentum, !started)
    for (index, parameter) in parameters.enumerated() {
      parameter.withGradient { grad in
        parameter.withMutableScalars { p in
          if mu == 0 {
            for i in 0..<p.count { p[i] -= rate * (grad[i] + decay * p[i]) }
            return
          }
          buffers[index].withUnsafeMutableBufferPointer { b in
            for i in 0..<p.count {
              let g = grad[i] + decay * p[i]
              b[i] = first ? g : mu * b[i] + g
              p[i] -= rate * (nesterov ? g + mu * b[i] : b[i])
            }
          }
        }
      }
    }
    started = true
  }
}
