import MoE
import NeuralNetworks

/// The mixture a configuration describes, over `inputSize` features and `classCount` classes:
/// feed-forward experts input -> hidden -> classes under the configured router (y = sum_e g_e(x) E_e(x),
/// the output being class logits), or, with `groups` > 0, a softmax gate over `groups` such mixtures
/// (Jordan and Jacobs 1994): y = sum_i g_i(x) sum_j g_ij(x) E_ij(x).
public enum ExperimentModel {
  public static func make(
    _ model: ExperimentConfiguration.Model, inputSize: Int, classCount: Int, seed: UInt64
  ) throws(ConfigurationError) -> MixtureOfExperts {
    var generator = SeededGenerator(seed: seed)
    func router(noiseSeed: UInt64, using generator: inout SeededGenerator) throws(ConfigurationError) -> any Router {
      var options = RouterOptions(inputSize: inputSize, expertCount: model.experts)
      options.k = model.k
      options.capacityFactor = Float(model.capacityFactor)
      options.noiseSeed = noiseSeed
      options.threshold = Float(model.threshold)
      options.biasUpdateRate = Float(model.biasUpdateRate)
      do {
        return try RouterRegistry.make(model.router, options: options, using: &generator)
      } catch {
        throw ConfigurationError("model.router", error.description)
      }
    }
    func expert(using generator: inout SeededGenerator) -> FeedForwardExpert {
      FeedForwardExpert(inputSize: inputSize, hiddenSize: model.hidden, outputSize: classCount, using: &generator)
    }
    guard model.groups > 0 else {
      let experts = (0..<model.experts).map { _ in expert(using: &generator) }
      return MixtureOfExperts(experts: experts, gate: try router(noiseSeed: seed &+ 1, using: &generator))
    }
    // Group i's router draws its noise from seed + 1 + i; the top gate is a dense softmax.
    return try MixtureOfExperts.hierarchy(
      branching: [model.groups, model.experts],
      gate: { path, count, generator throws(ConfigurationError) -> any Router in
        guard path.isEmpty else { return try router(noiseSeed: seed &+ 1 &+ UInt64(path[0]), using: &generator) }
        do {
          return try SoftmaxGate(inputSize: inputSize, expertCount: count, using: &generator)
        } catch {
          throw ConfigurationError("model.groups", String(describing: error))
        }
      },
      leaf: { _, generator throws(ConfigurationError) -> any Layer in expert(using: &generator) },
      using: &generator)
  }

  /// Parameters one input uses: the gate(s), and the experts it is routed to (k per mixture for the
  /// top-k routers, every expert for a dense gate; for expert choice, the average).
  public static func activeParameterCount(_ mixture: MixtureOfExperts, routing: RoutingRecord) -> Double {
    let gateParameters = Double(mixture.gate.parameterCount)
    let expertParameters = mixture.experts.map { Double($0.parameterCount) }
    let average = expertParameters.reduce(0, +) / Double(max(expertParameters.count, 1))
    let perToken = Double(routing.tokensPerExpert.reduce(0, +)) / Double(max(routing.tokenCount, 1))
    let groups = mixture.experts.compactMap { $0 as? MixtureOfExperts }
    guard groups.count == mixture.experts.count, !groups.isEmpty else {
      return gateParameters + perToken * average
    }
    // Hierarchical: the top gate, then in each group the input visits, its gate and routed experts.
    var total = gateParameters * Double(routing.tokenCount)
    for (index, group) in groups.enumerated() where index < routing.nested.count {
      guard let nested = routing.nested[index] else { continue }
      total += activeParameterCount(group, routing: nested.record) * Double(nested.record.tokenCount)
    }
    return total / Double(max(routing.tokenCount, 1))
  }
}
