import NeuralNetworks

/// The default expert: a two-layer perceptron, E(x) = W2 act(W1 x + b1) + b2.
///
/// Any `Layer` can be an expert (an LSTM head, a CNN head, another `MixtureOfExperts`); this is
/// the one the course uses most. Parameters are named `hidden.*` and `output.*`.
public final class FeedForwardExpert: Layer {
  public let hidden: Linear
  public let activation: any Layer
  public let output: Linear

  public var inputSize: Int { hidden.inputSize }
  public var hiddenSize: Int { hidden.outputSize }
  public var outputSize: Int { output.outputSize }

  /// `inputSize -> hiddenSize -> outputSize`, with ReLU between unless another activation is given.
  public init(
    inputSize: Int, hiddenSize: Int, outputSize: Int, activation: any Layer = ReLU(),
    using generator: inout SeededGenerator
  ) {
    hidden = Linear(inputSize, hiddenSize, using: &generator)
    self.activation = activation
    output = Linear(hiddenSize, outputSize, using: &generator)
  }

  public func callAsFunction(_ input: Tensor) -> Tensor { output(activation(hidden(input))) }
}

extension FeedForwardExpert {
  /// `count` experts of one shape, created one after another from `generator`.
  public static func make(
    count: Int, inputSize: Int, hiddenSize: Int, outputSize: Int, activation: () -> any Layer = { ReLU() },
    using generator: inout SeededGenerator
  ) -> [FeedForwardExpert] {
    (0..<count).map { _ in
      FeedForwardExpert(
        inputSize: inputSize, hiddenSize: hiddenSize, outputSize: outputSize, activation: activation(),
        using: &generator)
    }
  }
}
