import MoE
import NeuralNetworks

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Measures a model over batches, in evaluation mode and without recording gradients.
///
/// For each batch, `forward` gives the output ([rows, classes] logits for classification) and the
/// routing record, if any. With `labels`, the arg-max of each output row is the prediction:
/// accuracy = correct / rows, per-class accuracy = confusion[c][c] / rows of class c, and the
/// confusion matrix counts matrix[true][predicted]. With `loss`, the report's loss is the mean per
/// row, sum_b loss_b * rows_b / sum_b rows_b (exact for losses that are means over their batch).
/// Routing statistics come from each batch's top-level record (nested mixtures are not descended):
/// arg-max and routed utilization, their entropy and effective number of experts, mean gate
/// entropy, the class-by-expert matrix and its specialization I(class; expert) / H(class), a
/// histogram of the gate's entropy per token in `entropyBins` bins over [0, log E], and, with labels
/// and one routed token per row, the accuracy in `confidenceBins` bins of the gate's confidence
/// max_e g_e(x) over [1/E, 1].
///
/// The model's training mode is restored afterwards, and no parameter gains a gradient.
public func evaluate<Batch>(
  model: any Module,
  batches: [Batch],
  forward: (Batch) throws -> (output: Tensor, routing: RoutingRecord?),
  labels: ((Batch) -> [Int])? = nil,
  classNames: [String]? = nil,
  loss: ((_ batch: Batch, _ output: Tensor, _ routing: RoutingRecord?) throws -> Tensor)? = nil,
  confidenceBins: Int = 5,
  entropyBins: Int = 10
) throws -> EvaluationReport {
  for (name, bins) in [("confidenceBins", confidenceBins), ("entropyBins", entropyBins)] where bins < 1 {
    throw TrainingError.invalidOption(name: name, value: "\(bins)", rule: "must be at least 1")
  }
  let wasTraining = model.isTraining
  model.eval()
  defer { model.setTraining(wasTraining) }
  return try withoutGradients {
    var tally = EvaluationTally(
      classNames: classNames, confidenceBinCount: confidenceBins, entropyBinCount: entropyBins)
    for (index, batch) in batches.enumerated() {
      let (output, routing) = try forward(batch)
      let rows = output.rank == 0 ? 1 : output.shape[0]
      tally.sampleCount += rows
      if let loss { tally.lossSum += Double(try loss(batch, output, routing).item) * Double(rows) }
      if let labels { try tally.addPredictions(output, labels: labels(batch), batch: index) }
      if let routing { try tally.addRouting(routing, labels: labels?(batch), batch: index) }
    }
    return try tally.report(hasLoss: loss != nil, hasLabels: labels != nil)
  }
}

/// The running sums of `evaluate`, turned into a report at the end.
private struct EvaluationTally {
  var classNames: [String]?
  var sampleCount = 0
  var lossSum = 0.0
  var confusion: [[Int]]?
  // Routing.
  var tokenCount = 0
  var argmaxCounts: [Int] = []
  var routedCounts: [Int] = []
  var gateEntropySum = 0.0
  var evaluationsSum = 0.0
  var droppedCount = 0
  var unroutedCount = 0
  var classByExpert: [[Int]]?
  var classByExpertApplies = true
  let confidenceBinCount: Int
  let entropyBinCount: Int
  var gateEntropies: [Double] = []
  /// Whether each row of the batch being added was classified correctly (set by `addPredictions`).
  var batchCorrect: [Bool]?
  var confidences: [Double] = []
  var correct: [Bool] = []

  init(classNames: [String]?, confidenceBinCount: Int, entropyBinCount: Int) {
    self.classNames = classNames
    self.confidenceBinCount = confidenceBinCount
    self.entropyBinCount = entropyBinCount
  }

  mutating func addPredictions(_ output: Tensor, labels: [Int], batch: Int) throws {
    guard output.rank == 2 else {
      throw TrainingError.inconsistentBatch(
        batch: batch, detail: "output of shape \(output.shape) is not [rows, classes] logits")
    }
    let classCount = classNames?.count ?? output.shape[1]
    if output.shape[1] != classCount {
      throw TrainingError.inconsistentBatch(
        batch: batch, detail: "output of shape \(output.shape) has \(output.shape[1]) classes, expected \(classCount)")
    }
    if labels.count != output.shape[0] {
      throw TrainingError.inconsistentBatch(
        batch: batch, detail: "\(labels.count) labels for an output of shape \(output.shape)")
    }
    if let bad = labels.first(where: { $0 < 0 || $0 >= classCount }) {
      throw TrainingError.inconsistentBatch(batch: batch, detail: "label \(bad) outside 0..<\(classCount)")
    }
    if classNames == nil { classNames = (0..<classCount).map(String.init) }
    let predicted = output.argmax(axis: 1)
    let matrix = try confusionMatrix(predicted: predicted, labels: labels, classes: classCount)
    confusion = add(matrix, to: confusion)
    batchCorrect = zip(predicted, labels).map { $0 == $1 }
  }

  mutating func addRouting(_ routing: RoutingRecord, labels: [Int]?, batch: Int) throws {
    let experts = routing.expertCount
    if argmaxCounts.isEmpty {
      argmaxCounts = [Int](repeating: 0, count: experts)
      routedCounts = argmaxCounts
    } else if argmaxCounts.count != experts {
      throw TrainingError.inconsistentBatch(
        batch: batch, detail: "routing over \(experts) experts after batches routed over \(argmaxCounts.count)")
    }
    let argmax = routing.argmaxExperts
    for expert in argmax { argmaxCounts[expert] += 1 }
    for (expert, count) in routing.tokensPerExpert.enumerated() { routedCounts[expert] += count }
    routing.probabilities.withScalars { p in
      var sum = 0.0
      for value in p where value > 0 { sum -= Double(value) * Double(log(value)) }
      gateEntropySum += sum
    }
    gateEntropies += try MoE.gateEntropies(routing.probabilities)
    tokenCount += routing.tokenCount
    evaluationsSum += routing.computeFraction * Double(routing.tokenCount)
    droppedCount += routing.droppedTokens.count
    unroutedCount += routing.unroutedTokens.count
    if let labels, let classCount = classNames?.count, labels.count == routing.tokenCount, classByExpertApplies {
      let matrix = try specializationMatrix(
        experts: argmax, labels: labels, classes: classCount, expertCount: experts)
      classByExpert = add(matrix, to: classByExpert)
      if let batchCorrect, batchCorrect.count == routing.tokenCount {
        confidences += try gateConfidences(routing.probabilities)
        correct += batchCorrect
      }
    } else {
      classByExpertApplies = false
      classByExpert = nil
    }
  }

  func report(hasLoss: Bool, hasLabels: Bool) throws -> EvaluationReport {
    var routing: RoutingSummary? = nil
    if !argmaxCounts.isEmpty {
      let tokens = Double(Swift.max(tokenCount, 1))
      let experts = Double(argmaxCounts.count)
      let entropyHistogram = try Histogram(
        gateEntropies, bins: entropyBinCount, lower: 0, upper: experts > 1 ? log(experts) : 1)
      let confidenceBins =
        classByExpert == nil || confidences.count != tokenCount
        ? nil
        : try accuracyByConfidence(
          confidences: confidences, correct: correct, bins: confidenceBinCount, lower: experts > 1 ? 1 / experts : 0,
          upper: 1)
      routing = RoutingSummary(
        tokenCount: tokenCount, expertCount: argmaxCounts.count, argmax: try ExpertUsage(counts: argmaxCounts),
        routed: try ExpertUsage(counts: routedCounts), meanGateEntropy: gateEntropySum / tokens,
        classByExpert: classByExpert, specialization: classByExpert.map { specializationScore($0) },
        computeFraction: evaluationsSum / tokens, droppedTokenFraction: Double(droppedCount) / tokens,
        unroutedTokenFraction: Double(unroutedCount) / tokens, gateEntropyHistogram: entropyHistogram,
        accuracyByConfidence: confidenceBins)
    }
    let names = hasLabels ? (classNames ?? []) : nil
    let matrix = hasLabels ? (confusion ?? names!.map { _ in [Int](repeating: 0, count: names!.count) }) : nil
    let correct = matrix.map { m in m.indices.reduce(0) { $0 + m[$1][$1] } }
    return EvaluationReport(
      sampleCount: sampleCount,
      loss: hasLoss ? lossSum / Double(Swift.max(sampleCount, 1)) : nil,
      accuracy: correct.map { Double($0) / Double(Swift.max(sampleCount, 1)) },
      classNames: names,
      perClassAccuracy: matrix.map { m in
        m.indices.map { c in
          let total = m[c].reduce(0, +)
          return total == 0 ? nil : Double(m[c][c]) / Double(total)
        }
      },
      confusionMatrix: matrix, routing: routing)
  }
}

/// Element-wise sum of two count matrices of the same shape (the first batch starts the total).
private func add(_ matrix: [[Int]], to total: [[Int]]?) -> [[Int]] {
  guard var sums = total else { return matrix }
  for row in matrix.indices {
    for column in matrix[row].indices { sums[row][column] += matrix[row][column] }
  }
  return sums
}
