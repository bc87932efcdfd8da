/// An element-wise function y = f(x) with its derivative, written as a type so that the forward
/// and the backward loops are specialized for it and the calls inline (a closure stored for the
/// backward pass would cost an indirect call per element).
protocol ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float
  /// dy/dx, given both x and y = f(x) (whichever is cheaper).
  func derivative(_ x: Float, _ y: Float) -> Float
}

extension Tensor {
  /// y = f(x) element by element; backward: dx += g * f'(x).
  @inline(__always)
  func mapElements<Function: ElementwiseFunction>(_ operation: String, _ function: Function) -> Tensor {
    let n = count
    let output = makeScalars(count: n) { y in
      scalars.withUnsafeBufferPointer { x in
        for index in 0..<n { y[index] = function(x[index]) }
      }
    }
    return Tensor(shape: shape, scalars: output, operation: operation, parent: self) {
      { result in
        let input = result.parents[0]
        result.gradientStorage!.withUnsafeBufferPointer { g in
          input.scalars.withUnsafeBufferPointer { x in
            result.scalars.withUnsafeBufferPointer { y in
              input.writeOrAccumulateGradient { dx, accumulate in
                if accumulate {
                  for index in 0..<n { dx[index] += g[index] * function.derivative(x[index], y[index]) }
                } else {
                  for index in 0..<n { dx[index] = g[index] * function.derivative(x[index], y[index]) }
                }
              }
            }
          }
        }
      }
    }
  }

  /// -x
  public static prefix func - (x: Tensor) -> Tensor { x.mapElements("negate", Affine(scale: -1, shift: 0)) }
  /// e^x; d/dx = e^x.
  public func exp() -> Tensor { mapElements("exp", Exponential()) }
  /// Natural logarithm; d/dx = 1/x.
  public func log() -> Tensor { mapElements("log", Logarithm()) }
  /// Square root; d/dx = 1 / (2 sqrt(x)).
  public func sqrt() -> Tensor { mapElements("sqrt", SquareRoot()) }
  /// |x|; d/dx = sign(x) (0 at 0).
  public func abs() -> Tensor { mapElements("abs", AbsoluteValue()) }
  /// x^exponent; d/dx = exponent * x^(exponent - 1).
  public func pow(_ exponent: Float) -> Tensor {
    exponent == 2 ? mapElements("pow", Square()) : mapElements("pow", Power(exponent: exponent))
  }
  /// x^2 (same as pow(2)).
  public func squared() -> Tensor { mapElements("pow", Square()) }
  /// x for x > 0, slope * x otherwise.
  public func leakyRelu(slope: Float = 0.01) -> Tensor { mapElements("leakyRelu", LeakyRectifier(slope: slope)) }
  /// 1 / (1 + e^-x); d/dx = y (1 - y).
  public func sigmoid() -> Tensor { mapElements("sigmoid", Sigmoid()) }
  /// tanh(x); d/dx = 1 - y^2.
  public func tanh() -> Tensor { mapElements("tanh", HyperbolicTangent()) }
  /// log(1 + e^x); d/dx = sigmoid(x).
  public func softplus() -> Tensor { mapElements("softplus", Softplus()) }
  /// Each element limited to [minimum, maximum]; the gradient passes only strictly inside.
  public func clamp(min minimum: Float = -.infinity, max maximum: Float = .infinity) -> Tensor {
    if minimum > maximum { tensorFailure("clamp: min \(minimum) is greater than max \(maximum)") }
    return mapElements("clamp", Clamp(minimum: minimum, maximum: maximum))
  }

  // Scalar arithmetic: one pass, no broadcasting machinery.
  public static func + (x: Tensor, s: Float) -> Tensor { x.mapElements("add", Affine(scale: 1, shift: s)) }
  public static func + (s: Float, x: Tensor) -> Tensor { x + s }
  public static func - (x: Tensor, s: Float) -> Tensor { x + (-s) }
  public static func - (s: Float, x: Tensor) -> Tensor { x.mapElements("subtract", Affine(scale: -1, shift: s)) }
  public static func * (x: Tensor, s: Float) -> Tensor { x.mapElements("multiply", Affine(scale: s, shift: 0)) }
  public static func * (s: Float, x: Tensor) -> Tensor { x * s }
  public static func / (x: Tensor, s: Float) -> Tensor { x * (1 / s) }
  public static func / (s: Float, x: Tensor) -> Tensor { x.mapElements("divide", Reciprocal(numerator: s)) }
}

/// scale * x + shift
private struct Affine: ElementwiseFunction {
  let scale: Float
  let shift: Float
  func callAsFunction(_ x: Float) -> Float { scale * x + shift }
  func derivative(_ x: Float, _ y: Float) -> Float { scale }
}

private struct Exponential: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { _exp(x) }
  func derivative(_ x: Float, _ y: Float) -> Float { y }
}

private struct Logarithm: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { _log(x) }
  func derivative(_ x: Float, _ y: Float) -> Float { 1 / x }
}

private struct SquareRoot: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { x.squareRoot() }
  func derivative(_ x: Float, _ y: Float) -> Float { 0.5 / y }
}

private struct AbsoluteValue: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { Swift.abs(x) }
  func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : (x < 0 ? -1 : 0) }
}

private struct Square: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { x * x }
  func derivative(_ x: Float, _ y: Float) -> Float { 2 * x }
}

private struct Power: ElementwiseFunction {
  let exponent: Float
  func callAsFunction(_ x: Float) -> Float { _pow(x, exponent) }
  func derivative(_ x: Float, _ y: Float) -> Float { exponent * _pow(x, exponent - 1) }
}

/// x for x > 0, slope * x otherwise (slope 0: relu).
struct LeakyRectifier: ElementwiseFunction {
  let slope: Float
  func callAsFunction(_ x: Float) -> Float { x > 0 ? x : slope * x }
  func derivative(_ x: Float, _ y: Float) -> Float { x > 0 ? 1 : slope }
}

/// Polynomial sigmoid and tanh vectorize inside the loops; libm's calls would not.
private struct Sigmoid: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { vectorizableSigmoid(x) }
  func derivative(_ x: Float, _ y: Float) -> Float { y * (1 - y) }
}

private struct HyperbolicTangent: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { vectorizableTanh(x) }
  func derivative(_ x: Float, _ y: Float) -> Float { 1 - y * y }
}

private struct Softplus: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { _softplus(x) }
  func derivative(_ x: Float, _ y: Float) -> Float { vectorizableSigmoid(x) }
}

private struct Clamp: ElementwiseFunction {
  let minimum: Float
  let maximum: Float
  func callAsFunction(_ x: Float) -> Float { Swift.min(Swift.max(x, minimum), maximum) }
  func derivative(_ x: Float, _ y: Float) -> Float { x > minimum && x < maximum ? 1 : 0 }
}

/// numerator / x
private struct Reciprocal: ElementwiseFunction {
  let numerator: Float
  func callAsFunction(_ x: Float) -> Float { numerator / x }
  func derivative(_ x: Float, _ y: Float) -> Float { -numerator / (x * x) }
}
