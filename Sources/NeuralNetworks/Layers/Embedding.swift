/// A lookup table of learned vectors: PyTorch's `nn.Embedding(num_embeddings, embedding_dim)`,
/// with the same parameter name and layout (`weight` [vocabularySize, dimension]).
///
///   y[..., :] = weight[index, :]  for every index of the input
///
/// weight starts as N(0, 1) samples, PyTorch's default. Backward adds each output row's gradient
/// into the row it was read from (rows used twice receive both).
public final class Embedding: Layer {
  /// [vocabularySize, dimension]
  public let weight: Tensor

  /// The number of rows (distinct indices).
  public var vocabularySize: Int { weight.shape[0] }
  /// The length of each vector.
  public var dimension: Int { weight.shape[1] }

  /// PyTorch's default initialization: weight ~ N(0, 1).
  public init(_ vocabularySize: Int, _ dimension: Int, using generator: inout SeededGenerator) {
    if vocabularySize <= 0 || dimension <= 0 {
      tensorFailure("Embedding: vocabularySize \(vocabularySize) and dimension \(dimension) must be positive")
    }
    weight = Tensor.normal([vocabularySize, dimension], using: &generator, requiresGrad: true)
  }

  /// A table with the given rows (e.g. loaded or pre-trained); weight [vocabularySize, dimension].
  public init(weight: Tensor) {
    if weight.rank != 2 || weight.shape.contains(0) {
      tensorFailure("Embedding: weight must be [vocabularySize, dimension] with both positive, got \(weight.shape)")
    }
    self.weight = weight
  }

  /// The vectors of `indices`, laid out row-major in `shape` (e.g. [batch, time]):
  /// the result has shape `shape + [dimension]`. Every index must lie in 0..<vocabularySize.
  public func callAsFunction(indices: [Int], shape: [Int]) -> Tensor {
    let name = "Embedding(\(vocabularySize), \(dimension))"
    if shape.contains(where: { $0 < 0 }) || shape.reduce(1, *) != indices.count {
      tensorFailure("\(name): \(indices.count) indices do not fill shape \(shape)")
    }
    let rows = vocabularySize
    for (position, index) in indices.enumerated() where index < 0 || index >= rows {
      tensorFailure("\(name): index \(index) at position \(position) is outside 0..<\(rows)")
    }
    return weight.indexSelect(rows: indices).reshaped(shape + [dimension])
  }

  /// The vectors of `indices` as a matrix [indices.count, dimension].
  public func callAsFunction(_ indices: [Int]) -> Tensor {
    callAsFunction(indices: indices, shape: [indices.count])
  }

  /// Indices stored as whole numbers in a tensor of any shape -> shape + [dimension]
  /// (the `Layer` form, for `Sequential`). No gradient flows to the indices.
  public func callAsFunction(_ input: Tensor) -> Tensor {
    var indices = [Int](repeating: 0, count: input.count)
    input.withScalars { values in
      for (position, value) in values.enumerated() {
        guard value.rounded() == value, Swift.abs(value) < 0x1p24 else {
          tensorFailure(
            "Embedding(\(vocabularySize), \(dimension)): input element \(value) at position \(position) is not a whole-number index"
          )
        }
        indices[position] = Int(value)
      }
    }
    return callAsFunction(indices: indices, shape: input.shape)
  }
}
