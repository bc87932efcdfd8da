/// Layer normalization over the last dimension: PyTorch's `nn.LayerNorm(normalized_shape)` for one
/// normalized dimension, with the same parameter names (`weight` [D], `bias` [D]).
///
/// For each row x of D elements:
///   mean = sum(x) / D,  var = sum((x - mean)^2) / D  (biased, as in PyTorch)
///   y = (x - mean) / sqrt(var + epsilon) * weight + bias
///
/// weight starts at ones and bias at zeros. One fused op (`Tensor.layerNorm`) with a hand-written backward.
public final class LayerNorm: Layer {
  /// [D], the per-feature scale (nil without elementwise affine).
  public let weight: Tensor?
  /// [D], the per-feature shift (nil without elementwise affine).
  public let bias: Tensor?
  /// D, the size of the normalized last dimension.
  public let normalizedSize: Int
  /// Added to the variance before the square root.
  public let epsilon: Float

  public init(_ normalizedSize: Int, epsilon: Float = 1e-5, elementwiseAffine: Bool = true) {
    if normalizedSize <= 0 { tensorFailure("LayerNorm: normalizedSize \(normalizedSize) must be positive") }
    if !(epsilon >= 0) { tensorFailure("LayerNorm: epsilon \(epsilon) must be non-negative") }
    self.normalizedSize = normalizedSize
    self.epsilon = epsilon
    weight = elementwiseAffine ? Tensor.ones([normalizedSize], requiresGrad: true) : nil
    bias = elementwiseAffine ? Tensor.zeros([normalizedSize], requiresGrad: true) : nil
  }

  /// x: [..., normalizedSize] -> same shape
  public func callAsFunction(_ input: Tensor) -> Tensor {
    if input.rank == 0 || input.shape[input.rank - 1] != normalizedSize {
      tensorFailure(
        "LayerNorm(\(normalizedSize)): input of shape \(input.shape) has last dimension \(input.shape.last.map(String.init) ?? "none"), expected \(normalizedSize)"
      )
    }
    return Tensor.layerNorm(input, weight: weight, bias: bias, epsilon: epsilon)
  }
}
