/// One epoch of training: what `fit` measured, one row of `TrainingHistory`.
public struct EpochRecord: Codable, Equatable, Sendable {
  /// 0 for the first epoch.
  public let epoch: Int
  /// Mean of the epoch's batch losses (each batch counts once, whatever its size).
  public let trainingLoss: Double
  /// The optimizer's learning rate at the epoch's first step.
  public let learningRate: Float
  /// Mean global gradient norm before clipping over the epoch's steps, when clipping is on.
  public let gradientNorm: Double?
  /// What the validation closure returned after the epoch (empty without one).
  public let validation: [String: Double]
  /// Each expert's share of the (token, expert) pairs routed during the epoch, when the forward pass
  /// returned a routing record: tokensPerExpert summed over the batches, divided by their total.
  public let expertUtilization: [Double]?

  public init(
    epoch: Int, trainingLoss: Double, learningRate: Float, gradientNorm: Double? = nil,
    validation: [String: Double] = [:], expertUtilization: [Double]? = nil
  ) {
    self.epoch = epoch
    self.trainingLoss = trainingLoss
    self.learningRate = learningRate
    self.gradientNorm = gradientNorm
    self.validation = validation
    self.expertUtilization = expertUtilization
  }
}

/// What `fit` did, one row per epoch that ran, and where early stopping left it.
public struct TrainingHistory: Codable, Equatable, Sendable {
  public internal(set) var epochs: [EpochRecord] = []
  /// The epoch whose parameters early stopping judged best (nil without early stopping).
  public internal(set) var bestEpoch: Int?
  /// True when early stopping ended training before the last epoch.
  public internal(set) var stoppedEarly = false

  public init(epochs: [EpochRecord] = [], bestEpoch: Int? = nil, stoppedEarly: Bool = false) {
    self.epochs = epochs
    self.bestEpoch = bestEpoch
    self.stoppedEarly = stoppedEarly
  }

  public var trainingLosses: [Double] { epochs.map(\.trainingLoss) }
  public var learningRates: [Float] { epochs.map(\.learningRate) }
  /// The validation metric `name` per epoch (nil where it was not returned).
  public func validation(_ name: String) -> [Double?] { epochs.map { $0.validation[name] } }

  /// The history as CSV: a header, then one line per epoch. Columns: epoch, training_loss,
  /// learning_rate, gradient_norm (when any epoch has one), each validation metric (names sorted),
  /// utilization_expert_<e> (when any epoch has a routing record). Missing values are empty fields.
  public func csv() -> String {
    let metricNames = Set(epochs.flatMap(\.validation.keys)).sorted()
    let hasGradientNorm = epochs.contains { $0.gradientNorm != nil }
    let expertCount = epochs.map { $0.expertUtilization?.count ?? 0 }.max() ?? 0
    var header = ["epoch", "training_loss", "learning_rate"]
    if hasGradientNorm { header.append("gradient_norm") }
    header += metricNames
    header += (0..<expertCount).map { "utilization_expert_\($0)" }
    var text = CSV.line(header)
    for record in epochs {
      var fields = ["\(record.epoch)", CSV.number(record.trainingLoss), CSV.number(record.learningRate)]
      if hasGradientNorm { fields.append(record.gradientNorm.map(CSV.number) ?? "") }
      fields += metricNames.map { record.validation[$0].map(CSV.number) ?? "" }
      let utilization = record.expertUtilization ?? []
      fields += (0..<expertCount).map { $0 < utilization.count ? CSV.number(utilization[$0]) : "" }
      text += CSV.line(fields)
    }
    return text
  }

  /// Writes `csv()` to `path` atomically (temporary file, then rename).
  public func writeCSV(to path: String) throws(TrainingError) {
    try CSV.write(csv(), to: path)
  }
}
