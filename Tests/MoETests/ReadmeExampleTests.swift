import MoE
import Testing

/// The README's example, as written there, does what its comment says.
@Suite struct ReadmeExampleTests {
  @Test func sparseMixtureExample() throws {
    var generator = SeededGenerator(seed: 0)
    let experts = FeedForwardExpert.make(count: 8, inputSize: 16, hiddenSize: 32, outputSize: 16, using: &generator)
    let gate = try NoisyTopKGate(inputSize: 16, expertCount: 8, k: 2, seed: 1, using: &generator)
    let mixture = MixtureOfExperts(experts: experts, gate: gate)

    let x = Tensor.normal([256, 16], using: &generator)
    let (y, routing) = mixture.forward(x)
    let loss = meanSquaredError(y, x) + 0.01 * loadBalancingLoss(routing) + 1e-3 * routerZLoss(routing)
    loss.backward()
    #expect(routing.tokensPerExpert.reduce(0, +) == 512)
    #expect(routing.computeFraction == 0.25)
    #expect(gate.noiseWeight.grad != nil && experts[0].hidden.weight.grad != nil)
  }
}
