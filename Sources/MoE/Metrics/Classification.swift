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
