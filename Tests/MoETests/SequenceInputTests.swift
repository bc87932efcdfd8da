import MoE
import Testing

/// [B, T, D] inputs, a gate input other than the expert input, and LSTM experts with lengths.
@Suite struct SequenceInputTests {
  @Test func tokensOfABatchOfSequencesAreRoutedLikeFlatRows() throws {
    var generator = SeededGenerator(seed: 2)
    let mixture = MixtureOfExperts(
      experts: experts(4), gate: try TopKGate(inputSize: 6, expertCount: 4, k: 2, using: &generator))
    let flat = inputs(12)
    let (output, routing) = mixture.forward(flat.reshaped([3, 4, 6]))
    #expect(output.shape == [3, 4, 3])
    #expect(output.scalars == mixture(flat).scalars)
    #expect(routing.tokenCount == 12)
  }

  @Test func lstmExpertsReadTheLastValidStepOfTheirRows() throws {
    var generator = SeededGenerator(seed: 3)
    let lstmExperts = (0..<2).map { _ in LSTMExpert(inputSize: 6, hiddenSize: 4, outputSize: 3, using: &generator) }
    let gate = try TopKGate(inputSize: 6, expertCount: 2, k: 1, using: &generator)
    let mixture = MixtureOfExperts(experts: lstmExperts, gate: gate, gateInput: { $0.mean(axis: 1) })
    let sequences = inputs(15).reshaped([5, 3, 6])
    let lengths = [3, 1, 2, 3, 2]
    let (output, routing) = mixture.forward(sequences, context: RoutingContext(lengths: lengths))
    #expect(output.shape == [5, 3])
    for row in 0..<5 {
      let expert = routing.expertsPerToken[row][0]
      let alone = lstmExperts[expert](sequences.indexSelect(rows: [row]), lengths: [lengths[row]])
      let weight = routing.combineMatrix.scalars[row * 2 + expert]
      #expect(
        maximumDifference(Array(output.scalars[(row * 3)..<(row * 3 + 3)]), alone.scalars.map { $0 * weight }) < 1e-6)
    }
  }

  @Test func lstmExpertGradient() throws {
    var generator = SeededGenerator(seed: 4)
    let expert = LSTMExpert(inputSize: 3, hiddenSize: 4, outputSize: 2, using: &generator)
    var noise = SeededGenerator(seed: 5)
    let sequences = Tensor.normal([4, 3, 3], using: &noise, requiresGrad: true)
    let report = checkGradients(
      of: { _ in expert(sequences, lengths: [3, 1, 2, 3]) }, at: [sequences] + expert.parameters)
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }
}
