import MoE
import NeuralNetworks

/// How much each expert was used over an evaluation, under one way of counting.
public struct ExpertUsage: Codable, Equatable, Sendable {
  /// Tokens counted for each expert.
  public let counts: [Int]
  /// counts / total.
  public let shares: [Double]
  /// H = -sum_e s_e log s_e in nats: log E when every expert is used equally, 0 for a collapse.
  public let entropy: Double
  /// exp(H), the perplexity of the shares: E for uniform use, 1 when one expert takes everything.
  public let effectiveExpertCount: Double

  public init(counts: [Int]) throws {
    self.counts = counts
    shares = MoE.shares(of: counts)
    entropy = utilizationEntropy(shares)
    effectiveExpertCount = MoE.effectiveExpertCount(shares)
  }
}

/// What the mixture's routing did over an evaluation (the top-level record of each batch).
public struct RoutingSummary: Codable, Equatable, Sendable {
  public let tokenCount: Int
  public let expertCount: Int
  /// Each token counted once, for the gate's most probable expert (what the slide counts).
  public let argmax: ExpertUsage
  /// Each (token, expert) pair that was actually computed, after top-k and capacity.
  public let routed: ExpertUsage
  /// Mean over tokens of the gate's entropy, -sum_e p_e log p_e (nats): log E for a uniform gate,
  /// 0 for a one-hot one.
  public let meanGateEntropy: Double
  /// matrix[c][e]: inputs of true class c whose arg-max expert is e; nil without labels or when
  /// the records route tokens rather than one row per labelled input.
  public let classByExpert: [[Int]]?
  /// I(class; expert) / H(class) of `classByExpert`, in [0, 1]: 1 when each expert sees one class.
  public let specialization: Double?
  /// Expert evaluations made / (tokens * experts): 1 for dense dispatch, k / E for top-k.
  public let computeFraction: Double
  /// Share of tokens that lost every choice to capacity.
  public let droppedTokenFraction: Double
  /// Share of tokens no expert processed (dropped, chosen by none, or below every threshold).
  public let unroutedTokenFraction: Double
  /// The gate's entropy per token, -sum_e g_e log g_e, counted in equal bins over [0, log E]
  /// (nil in reports saved before it existed).
  public let gateEntropyHistogram: Histogram?
  /// Accuracy in equal bins of the gate's confidence max_e g_e(x) over [1/E, 1]; nil without labels
  /// or when the records route tokens rather than one row per labelled input.
  public let accuracyByConfidence: [ConfidenceBin]?
}

/// What `evaluate` measured over a data set.
public struct EvaluationReport: Codable, Equatable, Sendable {
  /// Rows evaluated (the first dimension of the outputs).
  public let sampleCount: Int
  /// Mean loss per row: each batch's loss weighted by its rows (nil without a loss closure).
  public let loss: Double?
  /// Share of rows whose arg-max output equals the label (nil without labels).
  public let accuracy: Double?
  /// Names of the classes, "0", "1", ... unless given (nil without labels).
  public let classNames: [String]?
  /// Accuracy within each true class (nil for a class with no rows).
  public let perClassAccuracy: [Double?]?
  /// matrix[true][predicted] counts.
  public let confusionMatrix: [[Int]]?
  /// Present when the forward pass returned routing records.
  public let routing: RoutingSummary?

  /// A plain-text table of every number, four decimals, aligned in columns.
  public func table() -> String {
    var lines: [[String]] = [["samples", "\(sampleCount)"]]
    if let loss { lines.append(["loss", decimal(loss)]) }
    if let accuracy { lines.append(["accuracy", decimal(accuracy)]) }
    var text = aligned(lines)
    if let classNames, let perClassAccuracy, let confusionMatrix {
      text += "\naccuracy per class and confusion matrix (rows: true class, columns: predicted)\n"
      var rows = [["class", "accuracy"] + classNames]
      for (index, name) in classNames.enumerated() {
        rows.append([name, perClassAccuracy[index].map(decimal) ?? "-"] + confusionMatrix[index].map(String.init))
      }
      text += aligned(rows)
    }
    if let routing {
      text += "\nexpert utilization (arg-max: one per token; routed: every pair computed)\n"
      var rows = [["expert", "arg-max", "routed"]]
      for expert in 0..<routing.expertCount {
        rows.append(["\(expert)", decimal(routing.argmax.shares[expert]), decimal(routing.routed.shares[expert])])
      }
      rows.append(["entropy", decimal(routing.argmax.entropy), decimal(routing.routed.entropy)])
      rows.append([
        "effective experts", decimal(routing.argmax.effectiveExpertCount),
        decimal(routing.routed.effectiveExpertCount),
      ])
      text += aligned(rows)
      var summary = [
        ["mean gate entropy", decimal(routing.meanGateEntropy)],
        ["compute fraction", decimal(routing.computeFraction)],
        ["dropped tokens", decimal(routing.droppedTokenFraction)],
        ["unrouted tokens", decimal(routing.unroutedTokenFraction)],
      ]
      if let specialization = routing.specialization { summary.append(["specialization", decimal(specialization)]) }
      text += "\n" + aligned(summary)
      if let matrix = routing.classByExpert {
        text += "\nclass by arg-max expert (rows: true class)\n"
        let names = classNames ?? matrix.indices.map(String.init)
        var rows = [["class"] + (0..<routing.expertCount).map { "expert \($0)" }]
        for (index, row) in matrix.enumerated() { rows.append([names[index]] + row.map(String.init)) }
        text += aligned(rows)
      }
      if let bins = routing.accuracyByConfidence {
        text += "\naccuracy by gate confidence (max_e g_e)\n"
        var rows = [["confidence", "inputs", "accuracy"]]
        for bin in bins {
          rows.append([
            "\(decimal(bin.lower))-\(decimal(bin.upper))", "\(bin.count)", bin.accuracy.map(decimal) ?? "-",
          ])
        }
        text += aligned(rows)
      }
    }
    return text
  }

  /// Every number as one CSV line `metric,value`, names dotted (`accuracy.class.<name>`,
  /// `confusion.<true>.<predicted>`, `utilization.routed.expert_<e>`, ...), values exact.
  public func csv() -> String {
    var rows: [(String, String)] = [("samples", "\(sampleCount)")]
    if let loss { rows.append(("loss", CSV.number(loss))) }
    if let accuracy { rows.append(("accuracy", CSV.number(accuracy))) }
    if let classNames, let perClassAccuracy, let confusionMatrix {
      for (index, name) in classNames.enumerated() {
        rows.append(("accuracy.class.\(name)", perClassAccuracy[index].map(CSV.number) ?? ""))
      }
      for (truth, trueName) in classNames.enumerated() {
        for (guess, guessName) in classNames.enumerated() {
          rows.append(("confusion.\(trueName).\(guessName)", "\(confusionMatrix[truth][guess])"))
        }
      }
    }
    if let routing {
      for (rule, usage) in [("argmax", routing.argmax), ("routed", routing.routed)] {
        for (expert, share) in usage.shares.enumerated() {
          rows.append(("utilization.\(rule).expert_\(expert)", CSV.number(share)))
        }
        rows.append(("utilization.\(rule).entropy", CSV.number(usage.entropy)))
        rows.append(("utilization.\(rule).effective_experts", CSV.number(usage.effectiveExpertCount)))
      }
      rows.append(("routing.mean_gate_entropy", CSV.number(routing.meanGateEntropy)))
      rows.append(("routing.compute_fraction", CSV.number(routing.computeFraction)))
      rows.append(("routing.dropped_token_fraction", CSV.number(routing.droppedTokenFraction)))
      rows.append(("routing.unrouted_token_fraction", CSV.number(routing.unroutedTokenFraction)))
      if let specialization = routing.specialization {
        rows.append(("routing.specialization", CSV.number(specialization)))
      }
      if let matrix = routing.classByExpert {
        let names = classNames ?? matrix.indices.map(String.init)
        for (index, row) in matrix.enumerated() {
          for (expert, count) in row.enumerated() {
            rows.append(("class_by_expert.\(names[index]).expert_\(expert)", "\(count)"))
          }
        }
      }
      if let histogram = routing.gateEntropyHistogram {
        for (edge, count) in zip(histogram.lowerEdges, histogram.counts) {
          rows.append(("gate_entropy.from_\(CSV.number(edge))", "\(count)"))
        }
      }
      for bin in routing.accuracyByConfidence ?? [] {
        let name = "confidence.from_\(CSV.number(bin.lower))"
        rows.append((name + ".inputs", "\(bin.count)"))
        rows.append((name + ".accuracy", bin.accuracy.map(CSV.number) ?? ""))
      }
    }
    return CSV.line(["metric", "value"]) + rows.map { CSV.line([$0.0, $0.1]) }.joined()
  }

  /// Writes `csv()` to `path` atomically (temporary file, then rename).
  public func writeCSV(to path: String) throws(TrainingError) {
    try CSV.write(csv(), to: path)
  }
}

private func decimal(_ value: Double) -> String { formatDecimal(value, decimals: 4) }

/// Left-aligned columns, two spaces apart, no trailing spaces.
private func aligned(_ rows: [[String]]) -> String {
  let columnCount = rows.map(\.count).max() ?? 0
  let widths = (0..<columnCount).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
  return rows.map { row in
    var line = ""
    for (column, cell) in row.enumerated() {
      line += cell
      if column < row.count - 1 { line += String(repeating: " ", count: widths[column] - cell.count + 2) }
    }
    return line + "\n"
  }.joined()
}
