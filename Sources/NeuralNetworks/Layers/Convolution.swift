/// A 2-D convolution over NCHW images: PyTorch's `nn.Conv2d(in, out, kernel_size, stride, padding)`
/// with a square kernel, the same parameter names and layouts (`weight` [out, in, k, k], `bias` [out]).
///
///   y[n, o, oy, ox] = bias[o] + sum over c, i, j of weight[o, c, i, j] * x[n, c, oy * s - p + i, ox * s - p + j]
///
/// with zeros outside the image (padding p) and stride s. Output size: floor((H + 2p - k) / s) + 1
/// by floor((W + 2p - k) / s) + 1. Computed by im2col and one sgemm per image (`Tensor.conv2d`).
public final class Conv2D: Layer {
  /// [outputChannels, inputChannels, kernelSize, kernelSize]
  public let weight: Tensor
  /// [outputChannels], or nil for a layer without bias.
  public let bias: Tensor?
  /// s, the step between windows.
  public let stride: Int
  /// p, the zeros added on each side of the image.
  public let padding: Int

  public var inputChannels: Int { weight.shape[1] }
  public var outputChannels: Int { weight.shape[0] }
  public var kernelSize: Int { weight.shape[2] }

  /// PyTorch's default initialization: weight and bias uniform in [-1/sqrt(fanIn), 1/sqrt(fanIn)]
  /// with fanIn = inputChannels * kernelSize * kernelSize (kaiming_uniform_ with a = sqrt(5)).
  public init(
    _ inputChannels: Int, _ outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
    bias: Bool = true, using generator: inout SeededGenerator
  ) {
    if inputChannels <= 0 || outputChannels <= 0 || kernelSize <= 0 {
      tensorFailure(
        "Conv2D: inputChannels \(inputChannels), outputChannels \(outputChannels) and kernelSize \(kernelSize) must be positive"
      )
    }
    if stride < 1 || padding < 0 {
      tensorFailure("Conv2D: stride \(stride) must be at least 1 and padding \(padding) non-negative")
    }
    let fanIn = inputChannels * kernelSize * kernelSize
    let bound = 1 / Float(fanIn).squareRoot()
    weight = Tensor.uniform(
      [outputChannels, inputChannels, kernelSize, kernelSize], low: -bound, high: bound, using: &generator,
      requiresGrad: true)
    self.bias =
      bias ? Tensor.uniform([outputChannels], low: -bound, high: bound, using: &generator, requiresGrad: true) : nil
    self.stride = stride
    self.padding = padding
  }

  /// A layer with the given parameters (e.g. loaded or computed elsewhere); weight [out, in, k, k].
  public init(weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0) {
    if weight.rank != 4 || weight.shape[2] != weight.shape[3] || weight.shape.contains(0) {
      tensorFailure("Conv2D: weight must be [out, in, k, k] (square kernel), got \(weight.shape)")
    }
    if let bias, bias.shape != [weight.shape[0]] {
      tensorFailure("Conv2D: bias of shape \(bias.shape) does not match weight \(weight.shape)")
    }
    if stride < 1 || padding < 0 {
      tensorFailure("Conv2D: stride \(stride) must be at least 1 and padding \(padding) non-negative")
    }
    self.weight = weight
    self.bias = bias
    self.stride = stride
    self.padding = padding
  }

  /// The output height or width for an input of size `size`: floor((size + 2p - k) / s) + 1.
  public func outputSize(_ size: Int) -> Int { (size + 2 * padding - kernelSize) / stride + 1 }

  /// x: [N, inputChannels, H, W] -> [N, outputChannels, OH, OW]
  public func callAsFunction(_ input: Tensor) -> Tensor {
    let name =
      "Conv2D(\(inputChannels) -> \(outputChannels), kernel \(kernelSize), stride \(stride), padding \(padding))"
    if input.rank != 4 || input.shape[1] != inputChannels {
      tensorFailure("\(name): input of shape \(input.shape); expected [batch, \(inputChannels), height, width] (NCHW)")
    }
    if input.shape[2] + 2 * padding < kernelSize || input.shape[3] + 2 * padding < kernelSize {
      tensorFailure("\(name): input of shape \(input.shape) is smaller than the kernel, even padded")
    }
    return Tensor.conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding)
  }
}
