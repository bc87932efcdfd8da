import MoE

func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
  precondition(a.count == b.count, "\(a.count) vs \(b.count)")
  return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

func experts(_ count: Int, inputSize: Int = 6, hiddenSize: Int = 8, outputSize: Int = 3, seed: UInt64 = 1)
  -> [FeedForwardExpert]
{
  var generator = SeededGenerator(seed: seed)
  return FeedForwardExpert.make(
    count: count, inputSize: inputSize, hiddenSize: hiddenSize, outputSize: outputSize, using: &generator)
}

func inputs(_ rows: Int, _ columns: Int = 6, seed: UInt64 = 3, requiresGrad: Bool = false) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  return Tensor.normal([rows, columns], using: &generator, requiresGrad: requiresGrad)
}

/// Runs `loss` backward from fresh gradients and returns the gradients of `tensors`, flattened.
func gradients(of tensors: [Tensor], _ loss: () -> Tensor) -> [Float] {
  for tensor in tensors { tensor.zeroGrad() }
  loss().backward()
  return tensors.flatMap { tensor in tensor.grad?.scalars ?? [Float](repeating: 0, count: tensor.count) }
}

/// Overwrites a tensor's elements (for setting gate parameters by hand).
func set(_ tensor: Tensor, _ values: [Float]) {
  precondition(values.count == tensor.count)
  tensor.withMutableScalars { buffer in
    for index in 0..<values.count { buffer[index] = values[index] }
  }
}

/// A weighted sum of all outputs, so a gradient check sees every element.
func projection(_ y: Tensor, seed: UInt64 = 11) -> Tensor {
  var generator = SeededGenerator(seed: seed)
  return (y * Tensor.uniform(y.shape, low: -1, high: 1, using: &generator)).sum()
}
