import Foundation
import MoE
import Testing

/// Outputs, routing tensors, auxiliary losses and gradients (of the input and of every named
/// parameter) of every router and of dense, sparse and hierarchical mixtures on fixed seeds, compared
/// with the values saved in `Fixtures/saved-values.json`. The fixture was written by the code before
/// the decision was restructured, so a refactoring that changes any number fails here.
@Suite struct SavedValuesTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/saved-values.json")

  /// Every router the course has, each with the options and context of one saved case.
  static func routerCases() throws -> [(name: String, gate: any Router, tasks: [Int]?)] {
    var generator = SeededGenerator(seed: 21)
    let tasks = (0..<16).map { $0 % 2 }
    return [
      ("softmax", try SoftmaxGate(inputSize: 6, expertCount: 4, temperature: 0.5, using: &generator), nil),
      ("topK", try TopKGate(inputSize: 6, expertCount: 5, k: 2, using: &generator), nil),
      ("noisyTopK", try NoisyTopKGate(inputSize: 6, expertCount: 5, k: 2, seed: 3, using: &generator), nil),
      ("switch", try SwitchRouter(inputSize: 6, expertCount: 5, capacityFactor: 1, using: &generator), nil),
      ("gshard", try GShardRouter(inputSize: 6, expertCount: 5, capacityFactor: 0.8, using: &generator), nil),
      (
        "expertChoice", try ExpertChoiceRouter(inputSize: 6, expertCount: 5, capacityFactor: 1.5, using: &generator),
        nil
      ),
      ("threshold", try ThresholdGate(inputSize: 6, expertCount: 5, threshold: 0.2, using: &generator), nil),
      ("taskGateWithTasks", try TaskGate(inputSize: 6, tasks: 2, expertsPerTask: 2, using: &generator), tasks),
      ("taskGateLearned", try TaskGate(inputSize: 6, tasks: 2, expertsPerTask: 2, using: &generator), nil),
    ]
  }

  /// Output and gradients of `mixture` under a fixed projection, keyed by `prefix`.
  static func record(
    _ mixture: MixtureOfExperts, _ x: Tensor, context: RoutingContext, prefix: String,
    into values: inout [String: [Float]]
  ) {
    let named = mixture.namedParameters
    let tracked = [x] + named.map(\.tensor)
    for tensor in tracked { tensor.zeroGrad() }
    let (output, routing) = mixture.forward(x, context: context)
    projection(output).backward()
    values["\(prefix).output"] = output.scalars
    values["\(prefix).probabilities"] = routing.probabilities.scalars
    // The saved logits are the scores before the task gate's mask, which the record now keeps as
    // `unmaskedLogits` (its `logits` carry the mask as -inf, tested in TaskGateTests).
    values["\(prefix).logits"] = routing.unmaskedLogits.scalars
    values["\(prefix).combineMatrix"] = routing.combineMatrix.scalars
    values["\(prefix).tokensPerExpert"] = routing.tokensPerExpert.map(Float.init)
    values["\(prefix).droppedTokens"] = routing.droppedTokens.map(Float.init)
    values["\(prefix).grad.input"] = x.grad?.scalars ?? [Float](repeating: 0, count: x.count)
    for (name, tensor) in named {
      values["\(prefix).grad.\(name)"] = tensor.grad?.scalars ?? [Float](repeating: 0, count: tensor.count)
    }
  }

  static func currentValues() throws -> [String: [Float]] {
    var values: [String: [Float]] = [:]
    for (name, gate, tasks) in try routerCases() {
      let mixture = MixtureOfExperts(experts: experts(gate.expertCount, seed: 5), gate: gate)
      let x = inputs(16, requiresGrad: true)
      let context = RoutingContext(tasks: tasks, noise: inputs(16, gate.expertCount, seed: 99))
      record(mixture, x, context: context, prefix: "\(name).automatic", into: &values)
      mixture.dispatch = .dense
      record(mixture, x, context: context, prefix: "\(name).dense", into: &values)
      mixture.dispatch = .automatic
      let routing = mixture.forward(x, context: context).routing
      values["\(name).loss.loadBalancing"] = [loadBalancingLoss(routing).item]
      values["\(name).loss.importance"] = [importanceLoss(routing).item]
      values["\(name).loss.routerZ"] = [routerZLoss(routing).item]
      values["\(name).loss.gateEntropy"] = [gateEntropy(routing).item]
      if routing.load != nil { values["\(name).loss.load"] = [try loadLoss(routing).item] }
    }

    var generator = SeededGenerator(seed: 8)
    let branches = try (0..<2).map { index in
      MixtureOfExperts(
        experts: experts(3, seed: UInt64(index + 10)),
        gate: try TopKGate(inputSize: 6, expertCount: 3, k: 2, using: &generator))
    }
    let sparseTop = MixtureOfExperts(
      experts: branches, gate: try TopKGate(inputSize: 6, expertCount: 2, k: 1, using: &generator))
    let x = inputs(12, requiresGrad: true)
    record(sparseTop, x, context: RoutingContext(), prefix: "hierarchical.sparse", into: &values)
    let nested = sparseTop.forward(x).routing.nested
    for (expert, entry) in nested.enumerated() {
      guard let entry else { continue }
      values["hierarchical.sparse.nested.\(expert).tokens"] = entry.tokens.map(Float.init)
      values["hierarchical.sparse.nested.\(expert).combineMatrix"] = entry.record.combineMatrix.scalars
    }
    let denseTop = MixtureOfExperts(
      experts: branches, gate: try SoftmaxGate(inputSize: 6, expertCount: 2, using: &generator))
    record(denseTop, x, context: RoutingContext(), prefix: "hierarchical.dense", into: &values)
    return values
  }

  @Test func theRestructuredCodeReproducesTheSavedValues() throws {
    let current = try Self.currentValues()
    let data = try Data(contentsOf: Self.fixture)
    let saved = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [Double]])
    #expect(Set(saved.keys) == Set(current.keys), "keys differ: \(Set(saved.keys).symmetricDifference(current.keys))")
    for (key, expected) in saved.sorted(by: { $0.key < $1.key }) {
      guard let actual = current[key] else { continue }
      #expect(actual.count == expected.count, "\(key): \(actual.count) values, saved \(expected.count)")
      for (index, (value, reference)) in zip(actual, expected).enumerated() {
        let tolerance = 1e-6 * max(1, abs(reference))
        #expect(abs(Double(value) - reference) <= tolerance, "\(key)[\(index)]: \(value), saved \(reference)")
      }
    }
  }
}
