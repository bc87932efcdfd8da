import NeuralNetworks

#if canImport(Glibc)
  import Glibc
#endif

/// How to count which experts a token uses.
public enum ActivationRule: Sendable {
  /// The gate's most probable expert, one per token.
  case argmax
  /// Every expert the token was actually routed to (after capacity).
  case routed
}

extension RoutingRecord {
  /// Number of tokens counted for each expert under `rule`.
  public func activationCounts(_ rule: ActivationRule = .routed) -> [Int] {
    switch rule {
    case .routed: return tokensPerExpert
    case .argmax:
      var counts = [Int](repeating: 0, count: expertCount)
      for expert in argmaxExperts { counts[expert] += 1 }
      return counts
    }
  }

  /// Each expert's share of the activations under `rule` (sums to 1 unless nothing was routed).
  public func utilization(_ rule: ActivationRule = .routed) -> [Double] {
    shares(of: activationCounts(rule))
  }
}

/// counts / total (zeros when the total is zero).
public func shares(of counts: [Int]) -> [Double] {
  let total = counts.reduce(0, +)
  return counts.map { total == 0 ? 0 : Double($0) / Double(total) }
}

/// Entropy of a distribution in nats, -sum p log p (terms with p = 0 count 0). log E for uniform use of E experts.
public func utilizationEntropy(_ shares: [Double]) -> Double {
  -shares.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
}

/// Perplexity exp(H): the effective number of experts in use. E for uniform use, 1 for a collapse onto one.
public func effectiveExpertCount(_ shares: [Double]) -> Double { exp(utilizationEntropy(shares)) }

/// Class-by-expert counts: matrix[c][e] = inputs of class c whose expert (e.g. `argmaxExperts`) is e.
public func specializationMatrix(
  experts: [Int], labels: [Int], classes: Int, expertCount: Int
) throws(MoEConfigurationError) -> [[Int]] {
  if experts.count != labels.count {
    throw .inconsistentInput(
      function: "specializationMatrix", message: "\(experts.count) experts for \(labels.count) labels")
  }
  var matrix = [[Int]](repeating: [Int](repeating: 0, count: expertCount), count: classes)
  for (expert, label) in zip(experts, labels) {
    if label < 0 || label >= classes {
      throw .inconsistentInput(function: "specializationMatrix", message: "label \(label) outside 0..<\(classes)")
    }
    if expert < 0 || expert >= expertCount {
      throw .inconsistentInput(
        function: "specializationMatrix", message: "expert \(expert) outside 0..<\(expertCount)")
    }
    matrix[label][expert] += 1
  }
  return matrix
}

/// How much knowing the expert tells about the class: I(class; expert) / H(class), in [0, 1].
/// 1 when each expert sees a single class; 0 when the expert says nothing about the class (one
/// expert for everything, or classes spread evenly over experts).
public func specializationScore(_ matrix: [[Int]]) -> Double {
  let total = Double(matrix.joined().reduce(0, +))
  guard total > 0 else { return 0 }
  let classTotals = matrix.map { Double($0.reduce(0, +)) }
  let expertCount = matrix.first?.count ?? 0
  let expertTotals = (0..<expertCount).map { e in Double(matrix.reduce(0) { $0 + $1[e] }) }
  var mutualInformation = 0.0
  for (c, row) in matrix.enumerated() {
    for (e, count) in row.enumerated() where count > 0 {
      let joint = Double(count) / total
      mutualInformation += joint * log(joint / ((classTotals[c] / total) * (expertTotals[e] / total)))
    }
  }
  let classEntropy = utilizationEntropy(classTotals.map { $0 / total })
  return classEntropy > 0 ? max(0, min(1, mutualInformation / classEntropy)) : 0
}

/// The gate's entropy for each row of [N, E] probabilities: H_n = -sum_e p_ne log p_ne in nats,
/// 0 when the gate puts everything on one expert, log E when it spreads evenly.
public func gateEntropies(_ probabilities: Tensor) throws(MoEConfigurationError) -> [Double] {
  let (rows, experts) = try gateShape(probabilities, function: "gateEntropies")
  return probabilities.withScalars { p in
    (0..<rows).map { row in
      var entropy = 0.0
      for value in p[(row * experts)..<((row + 1) * experts)] where value > 0 {
        entropy -= Double(value) * log(Double(value))
      }
      return entropy
    }
  }
}

/// The gate's confidence for each row of [N, E] probabilities: max_e p_ne, between 1/E and 1.
public func gateConfidences(_ probabilities: Tensor) throws(MoEConfigurationError) -> [Double] {
  let (rows, experts) = try gateShape(probabilities, function: "gateConfidences")
  return probabilities.withScalars { p in
    (0..<rows).map { row in Double(p[(row * experts)..<((row + 1) * experts)].max() ?? 0) }
  }
}

private func gateShape(_ probabilities: Tensor, function: String) throws(MoEConfigurationError) -> (Int, Int) {
  guard probabilities.rank == 2, probabilities.shape[1] > 0 else {
    throw .inconsistentInput(
      function: function, message: "probabilities of shape \(probabilities.shape) are not [tokens, experts]")
  }
  return (probabilities.shape[0], probabilities.shape[1])
}

/// Counts of values in equal-width bins over [lower, upper]: bin i holds lower + i w <= v < lower +
/// (i + 1) w, w = (upper - lower) / bins; the last bin also holds v = upper, and values outside the
/// range count in the nearest end bin (a histogram of gate entropies over [0, log E], say).
public struct Histogram: Codable, Equatable, Sendable {
  public let lower: Double
  public let upper: Double
  public let counts: [Int]

  public init(_ values: [Double], bins: Int, lower: Double, upper: Double) throws(MoEConfigurationError) {
    try requireOption(bins >= 1, "Histogram", "bins", "bins must be at least 1, got \(bins)")
    try requireOption(
      lower.isFinite && upper.isFinite && lower < upper, "Histogram", "range",
      "the range \(lower)...\(upper) must be finite with lower < upper")
    if let bad = values.first(where: { !$0.isFinite }) {
      throw .inconsistentInput(function: "Histogram", message: "value \(bad) is not finite")
    }
    var counts = [Int](repeating: 0, count: bins)
    for value in values { counts[histogramBin(value, bins: bins, lower: lower, upper: upper)] += 1 }
    self.lower = lower
    self.upper = upper
    self.counts = counts
  }

  /// (upper - lower) / bins.
  public var binWidth: Double { (upper - lower) / Double(counts.count) }

  /// The lower edge of each bin.
  public var lowerEdges: [Double] { counts.indices.map { lower + Double($0) * binWidth } }
}

/// The bin of `value` among `bins` equal bins over [lower, upper], clamped to the end bins.
func histogramBin(_ value: Double, bins: Int, lower: Double, upper: Double) -> Int {
  let position = (value - lower) / (upper - lower) * Double(bins)
  return Swift.min(bins - 1, Swift.max(0, Int(position.rounded(.down))))
}
