import MoE

/// Everything an experiment is: the data, the mixture, the training and the auxiliary losses, and a
/// seed. Read from a `ConfigurationTree` (a template or a YAML file with `--set` overrides), every key
/// checked: a missing, unknown or out-of-range key throws `ConfigurationError` naming its path.
public struct ExperimentConfiguration: Equatable, Sendable {
  public struct Data: Equatable, Sendable {
    /// `digits` (8x8, 1797 images) or `mnist5k` (28x28, 5000 images).
    public var dataset: String
    /// Shares of the data held out for validation and for the test, stratified by class.
    public var validation: Double
    public var test: Double
  }

  public struct Model: Equatable, Sendable {
    /// Experts per mixture (per group, for a hierarchical model).
    public var experts: Int
    /// Hidden width of each feed-forward expert, input -> hidden -> classes.
    public var hidden: Int
    /// A router of `RouterRegistry.names` (`softmax`, `noisyTopK`, `switch`, ...).
    public var router: String
    /// Experts per input for the top-k routers.
    public var k: Int
    /// Slots per expert relative to an even share, for routers with a capacity.
    public var capacityFactor: Double
    /// Groups of experts under a top router; 0 for a flat mixture.
    public var groups: Int
    /// tau of the threshold router (`model.threshold`, optional: 0.1, the slide's value, when absent).
    public var threshold: Double = 0.1
    /// gamma of the biasBalancedTopK router's bias update (`model.bias_update_rate`, optional: 0.001,
    /// DeepSeek-V3's value, when absent).
    public var biasUpdateRate: Double = 0.001
  }

  public struct Training: Equatable, Sendable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    /// `adam` or `sgd`.
    public var optimizer: String
    /// `constant` or `cosine` (from the learning rate down to 0 over the epochs).
    public var schedule: String
    /// Largest gradient norm, 0 for no clipping.
    public var gradientClipping: Double
    /// Epochs without improvement of `validation_loss` before stopping; 0 trains every epoch.
    public var earlyStoppingPatience: Int
  }

  /// Weights of the auxiliary losses added to the cross-entropy (0 leaves one out).
  public struct Losses: Equatable, Sendable {
    public var loadBalancing: Double
    public var importance: Double
    public var load: Double
    public var zLoss: Double
    public var entropy: Double
    public var variance: Double
    public var gini: Double
    public var diversity: Double
  }

  public var data: Data
  public var model: Model
  public var training: Training
  public var losses: Losses
  public var seed: UInt64

  public static let datasets = ["digits", "mnist5k"]
  public static let optimizers = ["adam", "sgd"]
  public static let schedules = ["constant", "cosine"]

  /// Reads and checks every key of `tree`.
  public init(tree: ConfigurationTree) throws(ConfigurationError) {
    var reader = ConfigurationReader(tree: tree)
    try reader.allow(sections: ["data", "model", "training", "losses", "seed"])
    data = Data(
      dataset: try reader.choice("data.dataset", among: Self.datasets),
      validation: try reader.number("data.validation", in: 0.01...0.5),
      test: try reader.number("data.test", in: 0.01...0.5))
    model = Model(
      experts: try reader.integer("model.experts", in: 1...1024),
      hidden: try reader.integer("model.hidden", in: 1...4096),
      router: try reader.choice("model.router", among: RouterRegistry.names.filter { $0 != "task" }, word: "router"),
      k: try reader.integer("model.k", in: 1...1024),
      capacityFactor: try reader.number("model.capacity_factor", in: 0.01...64),
      groups: try reader.integer("model.groups", in: 0...1024),
      threshold: try reader.number("model.threshold", in: 0...1, ifAbsent: 0.1),
      biasUpdateRate: try reader.number("model.bias_update_rate", in: 0...10, ifAbsent: 0.001))
    training = Training(
      epochs: try reader.integer("training.epochs", in: 1...100_000),
      batchSize: try reader.integer("training.batch_size", in: 1...65_536),
      learningRate: try reader.number("training.learning_rate", in: 1e-8...10),
      optimizer: try reader.choice("training.optimizer", among: Self.optimizers),
      schedule: try reader.choice("training.schedule", among: Self.schedules),
      gradientClipping: try reader.number("training.gradient_clipping", in: 0...1e6),
      earlyStoppingPatience: try reader.integer("training.early_stopping_patience", in: 0...100_000))
    losses = Losses(
      loadBalancing: try reader.number("losses.load_balancing", in: 0...1000),
      importance: try reader.number("losses.importance", in: 0...1000),
      load: try reader.number("losses.load", in: 0...1000),
      zLoss: try reader.number("losses.z_loss", in: 0...1000),
      entropy: try reader.number("losses.entropy", in: -1000...1000),
      variance: try reader.number("losses.variance", in: 0...1000),
      gini: try reader.number("losses.gini", in: 0...1000),
      diversity: try reader.number("losses.diversity", in: 0...1000))
    seed = UInt64(try reader.integer("seed", in: 0...Int(Int32.max)))
    try reader.rejectUnread()
    if model.k > model.experts {
      throw ConfigurationError("model.k", "expected at most model.experts (\(model.experts)), got \(model.k)")
    }
  }
}

/// Reads typed values out of a tree by key path and remembers which keys were read, so that any other
/// key is reported as unknown.
struct ConfigurationReader {
  let tree: ConfigurationTree
  private var read: Set<String> = []

  init(tree: ConfigurationTree) { self.tree = tree }

  /// The top level must be a mapping of exactly these sections (each a mapping, or a scalar for `seed`).
  func allow(sections: [String]) throws(ConfigurationError) {
    guard case .mapping(let entries) = tree else {
      throw ConfigurationError("(top level)", "expected a mapping of \(sections.joined(separator: ", "))")
    }
    for entry in entries where !sections.contains(entry.key) {
      throw ConfigurationError(entry.key, "unknown section; known: \(sections.joined(separator: ", "))")
    }
  }

  mutating func scalar(_ path: String) throws(ConfigurationError) -> String {
    read.insert(path)
    switch tree.value(at: path) {
    case .scalar(let text)?: return text
    case .mapping?: throw ConfigurationError(path, "expected a value, got a mapping")
    case nil: throw ConfigurationError(path, "missing")
    }
  }

  mutating func integer(_ path: String, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
    let text = try scalar(path)
    let rule = range.lowerBound == 1 ? "a positive integer" : range.lowerBound == 0 ? "an integer >= 0" : "an integer"
    guard let value = Int(text) else { throw ConfigurationError(path, "expected \(rule), got '\(text)'") }
    guard range.contains(value) else {
      throw ConfigurationError(
        path,
        value < range.lowerBound
          ? "expected \(rule), got \(value)" : "expected at most \(range.upperBound), got \(value)")
    }
    return value
  }

  mutating func number(_ path: String, in range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
    let text = try scalar(path)
    guard let value = Double(text), value.isFinite else {
      throw ConfigurationError(path, "expected a number, got '\(text)'")
    }
    guard range.contains(value) else {
      throw ConfigurationError(path, "expected a number in \(range.lowerBound)...\(range.upperBound), got \(text)")
    }
    return value
  }

  /// `number(_:in:)` for a key a configuration may leave out: `absent` when it does.
  mutating func number(_ path: String, in range: ClosedRange<Double>, ifAbsent absent: Double)
    throws(ConfigurationError)
    -> Double
  {
    if tree.value(at: path) == nil {
      read.insert(path)
      return absent
    }
    return try number(path, in: range)
  }

  mutating func choice(_ path: String, among known: [String], word: String = "value") throws(ConfigurationError)
    -> String
  {
    let text = try scalar(path)
    guard known.contains(text) else {
      throw ConfigurationError(path, "unknown \(word) '\(text)'; known: \(known.joined(separator: ", "))")
    }
    return text
  }

  /// Every leaf of the tree must have been read.
  func rejectUnread() throws(ConfigurationError) {
    func leaves(_ tree: ConfigurationTree, _ prefix: String) -> [String] {
      switch tree {
      case .scalar: return [prefix]
      case .mapping(let entries):
        return entries.flatMap { leaves($0.value, prefix.isEmpty ? $0.key : prefix + "." + $0.key) }
      }
    }
    for leaf in leaves(tree, "") where !read.contains(leaf) {
      let section = leaf.split(separator: ".").first.map(String.init) ?? leaf
      let known = read.filter { $0.hasPrefix(section + ".") }.sorted()
      throw ConfigurationError(leaf, "unknown key" + (known.isEmpty ? "" : "; known: \(known.joined(separator: ", "))"))
    }
  }
}
