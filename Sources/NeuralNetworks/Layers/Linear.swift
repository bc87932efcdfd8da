/// A fully connected layer: y = x W^T + b, with W of shape [out, in] and b of shape [out]
/// (PyTorch's layout, so its `weight` and `bias` load straight into `torch.nn.Linear`).
public final class Linear: Layer {
  /// [outputSize, inputSize]
  public let weight: Tensor
  /// [outputSize], or nil for a layer without bias.
  public let bias: Tensor?

  public var inputSize: Int { weight.shape[1] }
  public var outputSize: Int { weight.shape[0] }

  /// PyTorch's default initialization: W and b uniform in [-1/sqrt(in), 1/sqrt(in)].
  public init(_ inputSize: Int, _ outputSize: Int, bias: Bool = true, using generator: inout SeededGenerator) {
    if inputSize <= 0 || outputSize <= 0 {
      tensorFailure("Linear: sizes must be positive, got inputSize \(inputSize), outputSize \(outputSize)")
    }
    let bound = 1 / Float(inputSize).squareRoot()
    weight = Tensor.uniform([outputSize, inputSize], low: -bound, high: bound, using: &generator, requiresGrad: true)
    self.bias =
      bias ? Tensor.uniform([outputSize], low: -bound, high: bound, using: &generator, requiresGrad: true) : nil
  }

  /// A layer with the given parameters (e.g. loaded or computed elsewhere).
  public init(weight: Tensor, bias: Tensor?) {
    if weight.rank != 2 { tensorFailure("Linear: weight must be [out, in], got \(weight.shape)") }
    if let bias, bias.shape != [weight.shape[0]] {
      tensorFailure("Linear: bias of shape \(bias.shape) does not match weight \(weight.shape)")
    }
    self.weight = weight
    self.bias = bias
  }

  /// x: [..., inputSize] -> [..., outputSize]
  public func callAsFunction(_ input: Tensor) -> Tensor {
    if input.shape.last != inputSize {
      tensorFailure(
        "Linear(\(inputSize) -> \(outputSize)): input of shape \(input.shape) has last dimension \(input.shape.last ?? 0), expected \(inputSize)"
      )
    }
    return Tensor.affine(input, weight: weight, bias: bias)
  }
}
