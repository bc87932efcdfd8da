/// Dropout: PyTorch's `nn.Dropout(p)`. In training mode each element is zeroed with probability p
/// and the survivors are scaled by 1 / (1 - p), so the expected value is unchanged:
///   y = x * m / (1 - p),  m ~ Bernoulli(1 - p) independently per element
/// In evaluation mode (`eval()`, `setTraining(false)`) it is the identity. No parameters.
///
/// The layer owns a `SeededGenerator` seeded at init, so the same seed gives the same masks in
/// the same order on every run. Layers start in training mode, as in PyTorch.
public final class Dropout: Layer, NoiseSource {
  /// p, the probability of zeroing each element, in [0, 1].
  public let probability: Float
  /// Whether masks are drawn (training) or the input passes through (evaluation).
  public private(set) var isTraining = true
  private var generator: SeededGenerator
  /// The state of the noise (see `NoiseSource`).
  public var noiseGenerator: SeededGenerator {
    get { generator }
    set { generator = newValue }
  }

  public init(probability: Float = 0.5, seed: UInt64) {
    if !(probability >= 0 && probability <= 1) {
      tensorFailure("Dropout: probability \(probability) must lie in [0, 1]")
    }
    self.probability = probability
    generator = SeededGenerator(seed: seed)
  }

  /// Sets this layer's own mode (it has no children).
  public func setTraining(_ training: Bool) { isTraining = training }

  /// x -> x * mask, mask elements 0 (probability p) or 1 / (1 - p); identity in evaluation mode.
  /// The gradient flows only through the kept elements, scaled by 1 / (1 - p).
  public func callAsFunction(_ input: Tensor) -> Tensor {
    guard isTraining, probability > 0, input.count > 0 else { return input }
    let p = probability
    let keptValue: Float = p >= 1 ? 0 : 1 / (1 - p)
    // A local copy of the generator: no exclusivity checks on a class property per element.
    var local = generator
    let mask = [Float](unsafeUninitializedCapacity: input.count) { buffer, initialized in
      for index in 0..<buffer.count { buffer[index] = local.nextUniform() < p ? 0 : keptValue }
      initialized = buffer.count
    }
    generator = local
    return input.multiplied(byMask: mask)
  }
}
