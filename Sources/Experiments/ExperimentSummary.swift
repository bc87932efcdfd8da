import Foundation
import Training

/// `summary.json`: how a run ended and what it measured.
public struct ExperimentSummary: Codable, Equatable, Sendable {
  public let name: String
  public let router: String
  public let epochsRun: Int
  public let stoppedEarly: Bool
  /// The epoch (from 0) with the lowest validation loss; its parameters are `best.safetensors`.
  public let bestEpoch: Int
  public let bestValidationLoss: Double
  public let lastValidationLoss: Double
  public let lastValidationAccuracy: Double
  /// The test split, evaluated with the best parameters.
  public let testLoss: Double
  public let testAccuracy: Double
  public let parameterCount: Int
  /// Parameters one test input used on average: the gates and the experts it was routed to.
  public let activeParametersPerInput: Double
  /// Share of the test split's routed (input, expert) pairs each expert received.
  public let expertUtilization: [Double]
  public let quick: Bool
}

/// Sorted-key, indented JSON ending with a newline, so the same run writes the same bytes.
func jsonText(_ value: some Encodable) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  encoder.nonConformingFloatEncodingStrategy = .convertToString(
    positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
  return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

/// `metrics.csv` and the TensorBoard scalars of one epoch, from the same numbers.
enum MetricsTable {
  static func header(expertCount: Int) -> String {
    ([
      "epoch", "learning_rate", "training_loss", "gradient_norm", "validation_loss", "validation_accuracy",
      "gate_entropy",
    ] + (0..<expertCount).map { "utilization_\($0)" }).joined(separator: ",")
  }

  /// `record` comes from a one-epoch `fit`, so its own epoch number is 0: the run's `epoch` is given.
  static func row(epoch: Int, _ record: EpochRecord, validation: EvaluationReport, expertCount: Int) -> String {
    let utilization = validation.routing?.routed.shares ?? Array(repeating: .nan, count: expertCount)
    let values: [String] =
      [
        String(epoch), number(Double(record.learningRate)), number(record.trainingLoss),
        number(record.gradientNorm ?? .nan), number(validation.loss ?? .nan), number(validation.accuracy ?? .nan),
        number(validation.routing?.meanGateEntropy ?? .nan),
      ] + utilization.map(number)
    return values.joined(separator: ",")
  }

  static func scalars(_ record: EpochRecord, validation: EvaluationReport) -> [(tag: String, value: Float)] {
    var scalars: [(tag: String, value: Float)] = [
      ("loss/training", Float(record.trainingLoss)),
      ("loss/validation", Float(validation.loss ?? .nan)),
      ("accuracy/validation", Float(validation.accuracy ?? .nan)),
      ("learning_rate", record.learningRate),
    ]
    if let norm = record.gradientNorm { scalars.append(("gradient_norm", Float(norm))) }
    if let routing = validation.routing {
      scalars.append(("routing/gate_entropy", Float(routing.meanGateEntropy)))
      scalars.append(("routing/effective_experts", Float(routing.routed.effectiveExpertCount)))
      for (expert, share) in routing.routed.shares.enumerated() {
        scalars.append(("utilization/expert_\(expert)", Float(share)))
      }
    }
    return scalars
  }

  /// Shortest text that reads back as the same Double (`nan` for a missing value).
  static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "nan" }
}
