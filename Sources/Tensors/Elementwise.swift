extension Tensor {
  /// An element-wise op y = f(x) whose derivative is computed from x and y.
  /// Both closures are inlined into the loops, so each op costs one pass over memory.
  @inline(__always)
  func mapElements(
    _ operation: String, _ forward: (Float) -> Float,
    derivative: @escaping (_ x: Float, _ y: Float) -> Float
  ) -> Tensor {
    let n = count
    var output = [Float](repeating: 0, count: n)
    scalars.withUnsafeBufferPointer { x in
      output.withUnsafeMutableBufferPointer { y in
        for index in 0..<n { y[index] = forward(x[index]) }
      }
    }
    return Tensor(shape: shape, scalars: output, operation: operation, parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.scalars.withUnsafeBufferPointer { x in
          result.scalars.withUnsafeBufferPointer { y in
            input.accumulateGradient { dx in
              for index in 0..<n { dx[index] += g[index] * derivative(x[index], y[index]) }
            }
          }
        }
      }
    }
  }

  /// -x
  public static prefix func - (x: Tensor) -> Tensor {
    x.mapElements("negate", { -$0 }, derivative: { _, _ in -1 })
  }
  /// e^x; d/dx = e^x.
  public func exp() -> Tensor { mapElements("exp", _exp, derivative: { _, y in y }) }
  /// Natural logarithm; d/dx = 1/x.
  public func log() -> Tensor { mapElements("log", _log, derivative: { x, _ in 1 / x }) }
  /// Square root; d/dx = 1 / (2 sqrt(x)).
  public func sqrt() -> Tensor {
    mapElements("sqrt", { $0.squareRoot() }, derivative: { _, y in 0.5 / y })
  }
  /// |x|; d/dx = sign(x) (0 at 0).
  public func abs() -> Tensor {
    mapElements("abs", { Swift.abs($0) }, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
  }
  /// x^exponent; d/dx = exponent * x^(exponent - 1).
  public func pow(_ exponent: Float) -> Tensor {
    if exponent == 2 {
      return mapElements("pow", { $0 * $0 }, derivative: { x, _ in 2 * x })
    }
    return mapElements(
      "pow", { _pow($0, exponent) }, derivative: { x, _ in exponent * _pow(x, exponent - 1) })
  }
  /// max(x, 0); d/dx = 1 where x > 0.
  public func relu() -> Tensor {
    mapElements("relu", { $0 > 0 ? $0 : 0 }, derivative: { x, _ in x > 0 ? 1 : 0 })
  }
  /// x for x > 0, slope * x otherwise.
  public func leakyRelu(slope: Float = 0.01) -> Tensor {
    mapElements(
      "leakyRelu", { $0 > 0 ? $0 : slope * $0 }, derivative: { x, _ in x > 0 ? 1 : slope })
  }
  /// 1 / (1 + e^-x); d/dx = y (1 - y).
  public func sigmoid() -> Tensor {
    mapElements("sigmoid", _sigmoid, derivative: { _, y in y * (1 - y) })
  }
  /// tanh(x); d/dx = 1 - y^2.
  public func tanh() -> Tensor {
    mapElements("tanh", _tanh, derivative: { _, y in 1 - y * y })
  }
  /// log(1 + e^x); d/dx = sigmoid(x).
  public func softplus() -> Tensor {
    mapElements("softplus", _softplus, derivative: { x, _ in _sigmoid(x) })
  }
  /// Each element limited to [minimum, maximum]; the gradient passes only strictly inside.
  public func clamp(min minimum: Float = -.infinity, max maximum: Float = .infinity) -> Tensor {
    if minimum > maximum { tensorFailure("clamp: min \(minimum) is greater than max \(maximum)") }
    return mapElements(
      "clamp", { Swift.min(Swift.max($0, minimum), maximum) },
      derivative: { x, _ in x > minimum && x < maximum ? 1 : 0 })
  }
  /// x^2 (same as pow(2)).
  public func squared() -> Tensor { pow(2) }

  // Scalar arithmetic: one pass, no broadcasting machinery.
  public static func + (x: Tensor, s: Float) -> Tensor {
    x.mapElements("add", { $0 + s }, derivative: { _, _ in 1 })
  }
  public static func + (s: Float, x: Tensor) -> Tensor { x + s }
  public static func - (x: Tensor, s: Float) -> Tensor { x + (-s) }
  public static func - (s: Float, x: Tensor) -> Tensor {
    x.mapElements("subtract", { s - $0 }, derivative: { _, _ in -1 })
  }
  public static func * (x: Tensor, s: Float) -> Tensor {
    x.mapElements("multiply", { $0 * s }, derivative: { _, _ in s })
  }
  public static func * (s: Float, x: Tensor) -> Tensor { x * s }
  public static func / (x: Tensor, s: Float) -> Tensor { x * (1 / s) }
  public static func / (s: Float, x: Tensor) -> Tensor {
    x.mapElements("divide", { s / $0 }, derivative: { x, _ in -s / (x * x) })
  }
}
