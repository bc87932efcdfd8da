/// 2-D max pooling over NCHW images: PyTorch's `nn.MaxPool2d(kernel_size, stride, padding)` with a
/// square window.
///
///   y[n, c, oy, ox] = max over i, j < k of x[n, c, oy * s - p + i, ox * s - p + j]
///
/// Output size floor((H + 2p - k) / s) + 1 by floor((W + 2p - k) / s) + 1. The gradient flows only
/// to each window's maximum (the first in row-major order on ties). No parameters.
public final class MaxPool2D: Layer {
  /// k, the side of the window.
  public let kernelSize: Int
  /// s, the step between windows (k by default: windows do not overlap).
  public let stride: Int
  /// p, implicit -infinity padding on each side (at most k / 2).
  public let padding: Int

  public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
    let stride = stride ?? kernelSize
    if kernelSize < 1 || stride < 1 {
      tensorFailure("MaxPool2D: kernelSize \(kernelSize) and stride \(stride) must be at least 1")
    }
    if padding < 0 || padding > kernelSize / 2 {
      tensorFailure("MaxPool2D: padding \(padding) must lie in 0...\(kernelSize / 2) (half the kernel)")
    }
    self.kernelSize = kernelSize
    self.stride = stride
    self.padding = padding
  }

  /// x: [N, C, H, W] -> [N, C, OH, OW]
  public func callAsFunction(_ input: Tensor) -> Tensor {
    let name = "MaxPool2D(kernel \(kernelSize), stride \(stride), padding \(padding))"
    if input.rank != 4 {
      tensorFailure("\(name): input of shape \(input.shape); expected [batch, channels, height, width] (NCHW)")
    }
    if input.shape[2] + 2 * padding < kernelSize || input.shape[3] + 2 * padding < kernelSize {
      tensorFailure("\(name): input of shape \(input.shape) is smaller than the window")
    }
    return input.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
  }
}
