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
