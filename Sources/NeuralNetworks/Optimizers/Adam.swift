#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Adam (Kingma and Ba 2015), with AdamW's decoupled weight decay (Loshchilov and Hutter 2019) as an option.
///
/// At step t, for each parameter p with gradient g:
///   g = g + weightDecay * p                      (Adam's L2 form; not in AdamW)
///   m = beta1 * m + (1 - beta1) * g
///   v = beta2 * v + (1 - beta2) * g^2
///   p = p - learningRate * weightDecay * p        (AdamW's decoupled form)
///   p = p - learningRate * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + epsilon)
///
/// t counts the steps that parameter has taken (PyTorch keeps it per parameter too), so a parameter
/// added later starts its bias correction at t = 1. The whole update is one fused loop per
/// parameter tensor (no temporaries).
public class Adam: Optimizer {
  public var learningRate: Float
  public let beta1: Float
  public let beta2: Float
  public let epsilon: Float
  public let weightDecay: Float
  let decoupledWeightDecay: Bool
  /// Number of calls to `step()` so far.
  public internal(set) var stepCount = 0
  var states: ParameterStates<AdamMoments>

  public convenience init(
    parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float = 1e-8, weightDecay: Float = 0
  ) {
    self.init(
      name: "Adam", parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
      epsilon: epsilon, weightDecay: weightDecay, decoupled: false)
  }

  init(
    name: String, parameters: [Tensor], learningRate: Float, beta1: Float, beta2: Float,
    epsilon: Float, weightDecay: Float, decoupled: Bool
  ) {
    requireHyperparameter(learningRate >= 0, name, "learningRate", learningRate, "must be >= 0")
    requireHyperparameter(beta1 >= 0 && beta1 < 1, name, "beta1", beta1, "must lie in [0, 1)")
    requireHyperparameter(beta2 >= 0 && beta2 < 1, name, "beta2", beta2, "must lie in [0, 1)")
    requireHyperparameter(epsilon >= 0, name, "epsilon", epsilon, "must be >= 0")
    requireHyperparameter(weightDecay >= 0, name, "weightDecay", weightDecay, "must be >= 0")
    self.learningRate = learningRate
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupled
    states = ParameterStates(parameters) { AdamMoments(count: $0.count) }
  }

  public var parameters: [Tensor] { states.parameters }

  public func add(parameters: [Tensor]) { states.add(parameters) }

  public func remove(parameters: [Tensor]) { states.remove(parameters) }

  /// The number of steps `parameter` has taken (t of its last update), nil when it is not updated.
  public func stepCount(of parameter: Tensor) -> Int? { states.state(of: parameter)?.steps }

  public func step() {
    stepCount += 1
    let (b1, b2, eps) = (beta1, beta2, epsilon)
    let l2 = decoupledWeightDecay ? 0 : weightDecay
    let shrink = decoupledWeightDecay ? 1 - learningRate * weightDecay : 1
    // Parameters usually share their step count: the corrections are computed once per distinct t.
    var constants = AdamConstants(
      beta1: b1, beta2: b2, epsilon: eps, l2: l2, shrink: shrink, stepSize: 0, inverseRootCorrection2: 0)
    var constantsStep = 0
    for (parameter, moments) in states.entries where parameter.requiresGrad {
      parameter.withGradient { grad in
        moments.steps += 1
        if moments.steps != constantsStep {
          constantsStep = moments.steps
          let t = Float(moments.steps)
          // p -= rate * (m / c1) / (sqrt(v / c2) + eps) == p -= (rate / c1) * m / (sqrt(v) / sqrt(c2) + eps)
          constants.stepSize = learningRate / (1 - powf(b1, t))
          constants.inverseRootCorrection2 = 1 / (1 - powf(b2, t)).squareRoot()
        }
        parameter.withMutableScalars { p in
          guard p.count > 0 else { return }
          adamUpdate(
            count: p.count, parameters: p.baseAddress!, gradient: grad.baseAddress!, firstMoment: moments.first,
            secondMoment: moments.second, constants: constants)
        }
      }
    }
  }
}

/// Adam's state for one parameter: the moment estimates m and v and its own step count t.
///
/// The moments live in memory of their own rather than in arrays, so a step reaches them without
/// the exclusivity and uniqueness checks an array property of a class costs on every access.
final class AdamMoments {
  let first: UnsafeMutablePointer<Float>
  let second: UnsafeMutablePointer<Float>
  var steps = 0

  init(count: Int) {
    first = .allocate(capacity: Swift.max(count, 1))
    first.initialize(repeating: 0, count: count)
    second = .allocate(capacity: Swift.max(count, 1))
    second.initialize(repeating: 0, count: count)
  }

  deinit {
    first.deallocate()
    second.deallocate()
  }
}

/// The per-step constants of Adam's update.
struct AdamConstants {
  let beta1: Float
  let beta2: Float
  let epsilon: Float
  let l2: Float
  let shrink: Float
  var stepSize: Float
  var inverseRootCorrection2: Float
}

/// One Adam update of `count` parameters in place, eight at a time in SIMD registers (the compiler
/// does not vectorize the scalar loop: it cannot rule out that the four buffers overlap).
@inline(__always)
func adamUpdate(
  count: Int, parameters p: UnsafeMutablePointer<Float>, gradient grad: UnsafePointer<Float>,
  firstMoment m: UnsafeMutablePointer<Float>, secondMoment v: UnsafeMutablePointer<Float>, constants c: AdamConstants
) {
  typealias Vector = SIMD8<Float>
  let width = Vector.scalarCount
  var i = 0
  while i + width <= count {
    let offset = i * MemoryLayout<Float>.stride
    let pv = UnsafeRawPointer(p).loadUnaligned(fromByteOffset: offset, as: Vector.self)
    let g = UnsafeRawPointer(grad).loadUnaligned(fromByteOffset: offset, as: Vector.self) + c.l2 * pv
    let mv = c.beta1 * UnsafeRawPointer(m).loadUnaligned(fromByteOffset: offset, as: Vector.self) + (1 - c.beta1) * g
    let vv =
      c.beta2 * UnsafeRawPointer(v).loadUnaligned(fromByteOffset: offset, as: Vector.self) + (1 - c.beta2) * g * g
    let updated = pv * c.shrink - c.stepSize * mv / (vv.squareRoot() * c.inverseRootCorrection2 + c.epsilon)
    UnsafeMutableRawPointer(m).storeBytes(of: mv, toByteOffset: offset, as: Vector.self)
    UnsafeMutableRawPointer(v).storeBytes(of: vv, toByteOffset: offset, as: Vector.self)
    UnsafeMutableRawPointer(p).storeBytes(of: updated, toByteOffset: offset, as: Vector.self)
    i += width
  }
  while i < count {
    let g = grad[i] + c.l2 * p[i]
    m[i] = c.beta1 * m[i] + (1 - c.beta1) * g
    v[i] = c.beta2 * v[i] + (1 - c.beta2) * g * g
    p[i] = p[i] * c.shrink - c.stepSize * m[i] / (v[i].squareRoot() * c.inverseRootCorrection2 + c.epsilon)
    i += 1
  }
}

/// Adam with decoupled weight decay (Loshchilov and Hutter 2019): the decay shrinks the weights
/// directly, p = p - learningRate * weightDecay * p, instead of being added to the gradient.
public final class AdamW: Adam {
  public init(
    parameters: [Tensor], learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999,
    epsilon: Float = 1e-8, weightDecay: Float = 0.01
  ) {
    super.init(
      name: "AdamW", parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
      epsilon: epsilon, weightDecay: weightDecay, decoupled: true)
  }
}
