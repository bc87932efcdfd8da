import NeuralNetworks

/// The options any router may take; each router reads the ones it needs and the registry throws
/// `missingOption` when a needed one is nil.
public struct RouterOptions: Sendable {
  public var inputSize: Int
  public var expertCount: Int
  /// Experts per token (top-k and noisy top-k).
  public var k: Int?
  /// Capacity factor (Switch, GShard, expert choice).
  public var capacityFactor: Float?
  /// Which tokens a full expert serves first (Switch, GShard); `.position` when nil.
  public var capacityPriority: CapacityPriority?
  /// Softmax temperature (softmax gate); 1 when nil.
  public var temperature: Float?
  /// Threshold tau in [0, 1] (threshold gate).
  public var threshold: Float?
  /// Seed of the noisy gate's own noise.
  public var noiseSeed: UInt64?
  /// Added to the noisy gate's noise scale; 0.01 when nil.
  public var minimumNoise: Float?
  /// groups[t] lists the experts of task t (task gate).
  public var groups: [[Int]]?
  /// gamma, the step of the selection-bias update (bias-balanced top-k); 0.001 when nil.
  public var biasUpdateRate: Float?

  public init(
    inputSize: Int, expertCount: Int, k: Int? = nil, capacityFactor: Float? = nil,
    capacityPriority: CapacityPriority? = nil, temperature: Float? = nil,
    threshold: Float? = nil, noiseSeed: UInt64? = nil, minimumNoise: Float? = nil, groups: [[Int]]? = nil,
    biasUpdateRate: Float? = nil
  ) {
    self.inputSize = inputSize
    self.expertCount = expertCount
    self.k = k
    self.capacityFactor = capacityFactor
    self.capacityPriority = capacityPriority
    self.temperature = temperature
    self.threshold = threshold
    self.noiseSeed = noiseSeed
    self.minimumNoise = minimumNoise
    self.groups = groups
    self.biasUpdateRate = biasUpdateRate
  }
}

/// Every router of the library by name, so tests iterate over all of them and an experiment
/// runner builds any of them from a configuration.
public enum RouterRegistry {
  public typealias Constructor = (RouterOptions, inout SeededGenerator) throws(MoEConfigurationError) -> any Router

  /// One router: its name, a one-line description and how to build it from options.
  public struct Entry: Sendable {
    public let name: String
    public let summary: String
    let make: @Sendable (RouterOptions, inout SeededGenerator) throws(MoEConfigurationError) -> any Router
  }

  public static let entries: [Entry] = [
    Entry(name: "softmax", summary: "dense softmax gate, g = softmax((x W^T + b) / T) (Jacobs et al. 1991)") {
      options, generator throws(MoEConfigurationError) in
      try SoftmaxGate(
        inputSize: options.inputSize, expertCount: options.expertCount, temperature: options.temperature ?? 1,
        using: &generator)
    },
    Entry(name: "topK", summary: "the k largest logits, softmax over them (Shazeer et al. 2017, no noise)") {
      options, generator throws(MoEConfigurationError) in
      try TopKGate(
        inputSize: options.inputSize, expertCount: options.expertCount, k: required(options.k, "topK", "k"),
        using: &generator)
    },
    Entry(
      name: "noisyTopK",
      summary: "top-k of logits plus learned Gaussian noise, with a smooth load (Shazeer et al. 2017)"
    ) {
      options, generator throws(MoEConfigurationError) in
      try NoisyTopKGate(
        inputSize: options.inputSize, expertCount: options.expertCount, k: required(options.k, "noisyTopK", "k"),
        minimumNoise: options.minimumNoise ?? 0.01, seed: required(options.noiseSeed, "noisyTopK", "noiseSeed"),
        using: &generator)
    },
    Entry(
      name: "biasBalancedTopK",
      summary: "top-k on scores plus a per-expert bias nudged toward balance, no aux loss (Wang et al. 2024)"
    ) {
      options, generator throws(MoEConfigurationError) in
      try BiasBalancedTopKGate(
        inputSize: options.inputSize, expertCount: options.expertCount,
        k: required(options.k, "biasBalancedTopK", "k"), updateRate: options.biasUpdateRate ?? 0.001,
        using: &generator)
    },
    Entry(name: "switch", summary: "top-1 with expert capacity, over-capacity tokens dropped (Fedus et al. 2021)") {
      options, generator throws(MoEConfigurationError) in
      try SwitchRouter(
        inputSize: options.inputSize, expertCount: options.expertCount,
        capacityFactor: required(options.capacityFactor, "switch", "capacityFactor"),
        capacityPriority: options.capacityPriority ?? .position, using: &generator)
    },
    Entry(name: "gshard", summary: "top-2 renormalized over the pair, with expert capacity (Lepikhin et al. 2020)") {
      options, generator throws(MoEConfigurationError) in
      try GShardRouter(
        inputSize: options.inputSize, expertCount: options.expertCount,
        capacityFactor: required(options.capacityFactor, "gshard", "capacityFactor"),
        capacityPriority: options.capacityPriority ?? .position, using: &generator)
    },
    Entry(name: "expertChoice", summary: "each expert takes its C highest-scoring tokens (Zhou et al. 2022)") {
      options, generator throws(MoEConfigurationError) in
      try ExpertChoiceRouter(
        inputSize: options.inputSize, expertCount: options.expertCount,
        capacityFactor: required(options.capacityFactor, "expertChoice", "capacityFactor"), using: &generator)
    },
    Entry(name: "threshold", summary: "softmax gate that skips experts whose weight is below tau") {
      options, generator throws(MoEConfigurationError) in
      try ThresholdGate(
        inputSize: options.inputSize, expertCount: options.expertCount,
        threshold: required(options.threshold, "threshold", "threshold"), using: &generator)
    },
    Entry(name: "task", summary: "softmax within the experts of each input's task, a learned task classifier otherwise")
    {
      options, generator throws(MoEConfigurationError) in
      try TaskGate(
        inputSize: options.inputSize, expertCount: options.expertCount,
        groups: required(options.groups, "task", "groups"), using: &generator)
    },
  ]

  /// The names `make` accepts, in registry order.
  public static var names: [String] { entries.map(\.name) }

  /// The one-line description of a router, nil for an unknown name.
  public static func summary(of name: String) -> String? { entries.first { $0.name == name }?.summary }

  /// Builds the router called `name` from `options`, drawing its parameters from `generator`.
  /// Throws `unknownRouter` (listing the known names), `missingOption` or the router's own `invalidOption`.
  public static func make(
    _ name: String, options: RouterOptions, using generator: inout SeededGenerator
  ) throws(MoEConfigurationError) -> any Router {
    guard let entry = entries.first(where: { $0.name == name }) else {
      throw .unknownRouter(name: name, known: names)
    }
    return try entry.make(options, &generator)
  }

  private static func required<Value>(
    _ value: Value?, _ router: String, _ option: String
  ) throws(MoEConfigurationError) -> Value {
    guard let value else { throw .missingOption(router: router, option: option) }
    return value
  }
}
