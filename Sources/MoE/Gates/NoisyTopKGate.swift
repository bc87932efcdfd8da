import NeuralNetworks

/// Noisy top-k gating (Shazeer et al. 2017, "Outrageously large neural networks"):
///
///     H(x)_i = (x W_g)_i + eps_i * softplus((x W_noise)_i),   eps_i ~ N(0, 1)
///     G(x)   = softmax(topK(H(x), k))
///
/// The noise, on only in training, lets experts that are rarely chosen get tokens and gradient.
/// Its scale is learned. The gate also gives a smooth estimate of each expert's load: the
/// probability that expert i stays in the top k when its noise is redrawn,
///
///     P(x, i) = Phi(((x W_g)_i - kthExcluding(H(x), k, i)) / softplus((x W_noise)_i))
///     Load_i  = sum_x P(x, i)
///
/// where kthExcluding is the k-th largest noisy logit among the other experts and Phi the standard
/// normal CDF. Load is differentiable, so a loss on it (`loadLoss`) can balance the experts.
/// Parameters: `weight` [E, inputSize], `bias` [E], `noiseWeight` [E, inputSize] (zero at start,
/// as in the paper, so the noise scale starts at softplus(0) = 0.69).
public final class NoisyTopKGate: ScoringRouter, NoiseSource {
  public let scores: ExpertScoringLayer
  public private(set) var noiseWeight: Tensor
  public let k: Int
  /// Added to the noise scale so it never reaches zero.
  public let minimumNoise: Float
  public private(set) var isTraining = true
  private var generator: SeededGenerator
  /// The state of the noise (see `NoiseSource`).
  public var noiseGenerator: SeededGenerator {
    get { generator }
    set { generator = newValue }
  }

  /// `seed` drives the gate's own noise, so the same seed gives the same routing.
  public init(
    inputSize: Int, expertCount: Int, k: Int, minimumNoise: Float = 0.01, seed: UInt64,
    using generator: inout SeededGenerator
  ) throws(MoEConfigurationError) {
    try requireOption(
      k >= 1 && k <= expertCount, "NoisyTopKGate", "k",
      "k = \(k) must lie in 1...\(expertCount) (the number of experts)")
    try requireOption(
      minimumNoise >= 0, "NoisyTopKGate", "minimumNoise", "minimumNoise must be non-negative, got \(minimumNoise)")
    scores = try ExpertScoringLayer(inputSize: inputSize, expertCount: expertCount, using: &generator)
    noiseWeight = Tensor.zeros([expertCount, inputSize], requiresGrad: true)
    self.k = k
    self.minimumNoise = minimumNoise
    self.generator = SeededGenerator(seed: seed)
  }

  public func setTraining(_ training: Bool) { isTraining = training }

  /// Swaps in a noise weight of expertCount rows (after the scoring layer was resized).
  func replaceNoiseWeight(_ scalars: [Float]) -> ParameterChange {
    let removed = noiseWeight
    noiseWeight = Tensor(shape: [scalars.count / inputSize, inputSize], scalars: scalars, requiresGrad: true)
    return ParameterChange(added: [noiseWeight], removed: [removed])
  }

  public func route(_ input: Tensor, context: RoutingContext) -> GateDecision {
    let clean = scores(input, router: "NoisyTopKGate")
    guard isTraining else { return topKDecision(logits: clean, routingLogits: clean, k: k) }
    let noiseScale = Tensor.affine(input, weight: noiseWeight, bias: nil).softplus() + minimumNoise
    let noise: Tensor
    if let given = context.noise {
      if given.shape != clean.shape {
        tensorFailure("NoisyTopKGate: noise of shape \(given.shape) for logits of shape \(clean.shape)")
      }
      noise = given
    } else {
      noise = Tensor.normal(clean.shape, using: &generator)
    }
    let noisy = clean + noise * noiseScale
    let load = k < expertCount ? smoothLoad(clean: clean, noisy: noisy, noiseScale: noiseScale) : nil
    return topKDecision(logits: clean, routingLogits: noisy, k: k, load: load)
  }

  /// Load_i = sum_x P(x, i), with P as in the type's documentation. The threshold an expert must
  /// beat is the k-th largest noisy logit if it is outside the top k, the (k+1)-th if it is inside.
  private func smoothLoad(clean: Tensor, noisy: Tensor, noiseScale: Tensor) -> Tensor {
    let (top, _) = noisy.topK(k + 1)
    let thresholdIfIn = top.slice(axis: 1, k..<(k + 1))
    let thresholdIfOut = top.slice(axis: 1, (k - 1)..<k)
    let isIn = noisy .> thresholdIfIn
    let probabilityIfIn = ((clean - thresholdIfIn) / noiseScale).normalCDF()
    let probabilityIfOut = ((clean - thresholdIfOut) / noiseScale).normalCDF()
    return Tensor.select(where: isIn, probabilityIfIn, probabilityIfOut).sum(axis: 0)
  }
}
