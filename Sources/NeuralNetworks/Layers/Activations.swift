/// max(x, 0)
public final class ReLU: Layer {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.relu() }
}

/// x for x > 0, slope * x otherwise.
public final class LeakyReLU: Layer {
  public let slope: Float
  public init(slope: Float = 0.01) { self.slope = slope }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.leakyRelu(slope: slope) }
}

/// 1 / (1 + e^-x)
public final class Sigmoid: Layer {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// tanh(x)
public final class Tanh: Layer {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.tanh() }
}

/// log(1 + e^x)
public final class Softplus: Layer {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.softplus() }
}

/// softmax along `axis` (default: last).
public final class Softmax: Layer {
  public let axis: Int
  public init(axis: Int = -1) { self.axis = axis }
  public func callAsFunction(_ input: Tensor) -> Tensor { input.softmax(axis: axis) }
}

/// Reshapes [n, ...] to [n, product of the rest], e.g. between convolutions and a Linear head.
public final class Flatten: Layer {
  public init() {}
  public func callAsFunction(_ input: Tensor) -> Tensor { input.flattened() }
}
