import NeuralNetworks

/// The predicted class of each row of [N, C] logits (arg-max, ties to the lower class).
public func predictedClasses(_ logits: Tensor) -> [Int] { logits.argmax(axis: 1) }

/// Share of predictions equal to their labels.
public func accuracy(predicted: [Int], labels: [Int]) throws(MoEConfigurationError) -> Double {
  if predicted.count != labels.count {
    throw .inconsistentInput(function: "accuracy", message: "\(predicted.count) predictions for \(labels.count) labels")
  }
  guard !labels.isEmpty else { return 0 }
  return Double(zip(predicted, labels).filter { $0 == $1 }.count) / Double(labels.count)
}

/// Share of rows of [N, C] logits whose arg-max equals the label.
public func accuracy(logits: Tensor, labels: [Int]) throws(MoEConfigurationError) -> Double {
  try accuracy(predicted: predictedClasses(logits), labels: labels)
}

/// matrix[true][predicted] counts.
public func confusionMatrix(predicted: [Int], labels: [Int], classes: Int) throws(MoEConfigurationError) -> [[Int]] {
  if predicted.count != labels.count {
    throw .inconsistentInput(
      function: "confusionMatrix", message: "\(predicted.count) predictions for \(labels.count) labels")
  }
  var matrix = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
  for (guess, label) in zip(predicted, labels) {
    if guess < 0 || guess >= classes || label < 0 || label >= classes {
      throw .inconsistentInput(
        function: "confusionMatrix", message: "class \(label) or prediction \(guess) outside 0..<\(classes)")
    }
    matrix[label][guess] += 1
  }
  return matrix
}

/// The inputs whose gate confidence fell in [lower, upper) (the last bin includes upper), and how
/// many of them the model classified correctly.
public struct ConfidenceBin: Codable, Equatable, Sendable {
  public let lower: Double
  public let upper: Double
  public let count: Int
  public let correct: Int

  public init(lower: Double, upper: Double, count: Int, correct: Int) {
    self.lower = lower
    self.upper = upper
    self.count = count
    self.correct = correct
  }

  /// correct / count; nil for an empty bin.
  public var accuracy: Double? { count == 0 ? nil : Double(correct) / Double(count) }
}

/// Accuracy binned by confidence: `bins` equal bins over [lower, upper] (for a gate of E experts,
/// confidence = max_e g_e(x) lies in [1/E, 1]); bin i counts the inputs with lower + i w <= c <
/// lower + (i + 1) w, w = (upper - lower) / bins, and how many of them are correct. Confidences
/// outside the range count in the nearest end bin. A reliability diagram (as Guo et al. 2017 draw
/// for a classifier's own confidence) of the gate: does the model answer better where the gate is
/// sure of its expert?
public func accuracyByConfidence(
  confidences: [Double], correct: [Bool], bins: Int, lower: Double, upper: Double
) throws(MoEConfigurationError) -> [ConfidenceBin] {
  if confidences.count != correct.count {
    throw .inconsistentInput(
      function: "accuracyByConfidence", message: "\(confidences.count) confidences for \(correct.count) answers")
  }
  let counts = try Histogram(confidences, bins: bins, lower: lower, upper: upper)
  var hits = [Int](repeating: 0, count: bins)
  for (confidence, isCorrect) in zip(confidences, correct) where isCorrect {
    hits[histogramBin(confidence, bins: bins, lower: lower, upper: upper)] += 1
  }
  return counts.lowerEdges.enumerated().map { bin, edge in
    ConfidenceBin(
      lower: edge, upper: bin == bins - 1 ? upper : edge + counts.binWidth, count: counts.counts[bin],
      correct: hits[bin])
  }
}
