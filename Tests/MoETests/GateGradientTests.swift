import MoE
import Testing

/// Finite-difference checks of the gradients through every gate, into the input, the gate's
/// parameters and the experts' parameters.
@Suite struct GateGradientTests {
  static func check(_ mixture: MixtureOfExperts, context: RoutingContext = RoutingContext(), rows: Int = 7) {
    let x = inputs(rows, seed: 31, requiresGrad: true)
    let report = checkGradients(
      of: { _ in mixture.forward(x, context: context).output },
      at: [x] + mixture.gate.parameters + mixture.experts[0].parameters)
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }

  @Test func softmaxGateWithTemperature() throws {
    var generator = SeededGenerator(seed: 1)
    let gate = try SoftmaxGate(inputSize: 6, expertCount: 3, temperature: 0.5, using: &generator)
    Self.check(MixtureOfExperts(experts: experts(3), gate: gate))
  }

  @Test func topKGate() throws {
    var generator = SeededGenerator(seed: 2)
    Self.check(
      MixtureOfExperts(experts: experts(4), gate: try TopKGate(inputSize: 6, expertCount: 4, k: 2, using: &generator)))
  }

  @Test func noisyTopKGateWithFixedNoise() throws {
    var generator = SeededGenerator(seed: 3)
    let gate = try NoisyTopKGate(inputSize: 6, expertCount: 4, k: 2, seed: 1, using: &generator)
    set(gate.noiseWeight, (0..<24).map { Float($0 % 5) * 0.1 - 0.2 })
    Self.check(
      MixtureOfExperts(experts: experts(4), gate: gate), context: RoutingContext(noise: inputs(7, 4, seed: 77)))
  }

  @Test func noisyTopKSmoothLoadGradient() throws {
    var generator = SeededGenerator(seed: 4)
    let gate = try NoisyTopKGate(inputSize: 6, expertCount: 5, k: 2, seed: 1, using: &generator)
    set(gate.noiseWeight, (0..<30).map { Float($0 % 7) * 0.1 - 0.3 })
    let x = inputs(9, seed: 5, requiresGrad: true)
    let noise = inputs(9, 5, seed: 6)
    let report = checkGradients(
      of: { _ in gate.route(x, context: RoutingContext(noise: noise)).load! }, at: [x, gate.weight, gate.noiseWeight])
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }

  @Test func thresholdGate() throws {
    var generator = SeededGenerator(seed: 5)
    Self.check(
      MixtureOfExperts(
        experts: experts(4), gate: try ThresholdGate(inputSize: 6, expertCount: 4, threshold: 0.2, using: &generator)))
  }

  @Test func switchRouter() throws {
    var generator = SeededGenerator(seed: 6)
    Self.check(
      MixtureOfExperts(
        experts: experts(3), gate: try SwitchRouter(inputSize: 6, expertCount: 3, capacityFactor: 1, using: &generator))
    )
  }

  @Test func gshardRouter() throws {
    var generator = SeededGenerator(seed: 7)
    Self.check(
      MixtureOfExperts(
        experts: experts(4), gate: try GShardRouter(inputSize: 6, expertCount: 4, capacityFactor: 1, using: &generator))
    )
  }

  @Test func expertChoiceRouter() throws {
    var generator = SeededGenerator(seed: 8)
    Self.check(
      MixtureOfExperts(
        experts: experts(3),
        gate: try ExpertChoiceRouter(inputSize: 6, expertCount: 3, capacityFactor: 1, using: &generator)))
  }

  @Test func taskGateWithAndWithoutTaskIds() throws {
    var generator = SeededGenerator(seed: 9)
    let mixture = MixtureOfExperts(
      experts: experts(4), gate: try TaskGate(inputSize: 6, tasks: 2, expertsPerTask: 2, using: &generator))
    Self.check(mixture, context: RoutingContext(tasks: [0, 1, 1, 0, 0, 1, 0]))
    Self.check(mixture)
  }

  @Test func auxiliaryLossGradients() throws {
    var generator = SeededGenerator(seed: 10)
    let gate = try TopKGate(inputSize: 6, expertCount: 4, k: 2, using: &generator)
    let x = inputs(8, seed: 12)
    for loss in [loadBalancingLoss, importanceLoss, routerZLoss, gateEntropy] {
      let report = checkGradients(
        of: { _ in loss(RoutingRecord(decision: gate.route(x), expertEvaluations: 0, nested: [])) },
        at: [gate.weight, gate.bias])
      #expect(report.passes(tolerance: 1e-3), "\(report)")
    }
  }
}
