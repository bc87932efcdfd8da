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
/// entropy, the class-by-expert matrix and its specialization I(class; expert) / H(class).
///
/// The model's training mode is restored afterwards, and no parameter gains a gradient.
public func evaluate<Batch>(
  model: any Module,
  batches: [Batch],
  forward: (Batch) throws -> (output: Tensor, routing: RoutingRecord?),
  labels: ((Batch) -> [Int])? = nil,
  classNames: [String]? = nil,
  loss: ((_ batch: Batch, _ output: Tensor, _ routing: RoutingRecord?) throws -> Tensor)? = nil
) throws -> EvaluationReport {
  let wasTraining = model.isTraining
  model.eval()
  defer { model.setTraining(wasTraining) }
  return try withoutGradients {
    var tally = EvaluationTally(classNames: classNames)
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

  init(classNames: [String]?) { self.classNames = classNames }

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
    let matrix = try confusionMatrix(predicted: output.argmax(axis: 1), labels: labels, classes: classCount)
    confusion = add(matrix, to: confusion)
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
    tokenCount += routing.tokenCount
    evaluationsSum += routing.computeFraction * Double(routing.tokenCount)
    droppedCount += routing.droppedTokens.count
    unroutedCount += routing.unroutedTokens.count
    if let labels, let classCount = classNames?.count, labels.count == routing.tokenCount, classByExpertApplies {
      let matrix = try specializationMatrix(
        experts: argmax, labels: labels, classes: classCount, expertCount: experts)
      classByExpert = add(matrix, to: classByExpert)
    } else {
      classByExpertApplies = false
      classByExpert = nil
    }
  }

  func report(hasLoss: Bool, hasLabels: Bool) throws -> EvaluationReport {
    var routing: RoutingSummary? = nil
    if !argmaxCounts.isEmpty {
      let tokens = Double(Swift.max(tokenCount, 1))
      routing = RoutingSummary(
        tokenCount: tokenCount, expertCount: argmaxCounts.count, argmax: try ExpertUsage(counts: argmaxCounts),
        routed: try ExpertUsage(counts: routedCounts), meanGateEntropy: gateEntropySum / tokens,
        classByExpert: classByExpert, specialization: classByExpert.map { specializationScore($0) },
        computeFraction: evaluationsSum / tokens, droppedTokenFraction: Double(droppedCount) / tokens,
        unroutedTokenFraction: Double(unroutedCount) / tokens)
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
