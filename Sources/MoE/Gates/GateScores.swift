import NeuralNetworks

/// The linear scores every router starts from, s = x W^T + b, with W of shape [E, inputSize] and
/// b of shape [E], initialized like PyTorch's `nn.Linear` (so a router's `weight` and `bias` load
/// into one). Every router keeps both as its own `weight` and `bias`, so checkpoints name them alike.
struct GateParameters {
  let weight: Tensor
  let bias: Tensor

  init(inputSize: Int, expertCount: Int, using generator: inout SeededGenerator) throws(MoEConfigurationError) {
    try requireOption(inputSize >= 1, "Router", "inputSize", "inputSize must be at least 1, got \(inputSize)")
    try requireOption(expertCount >= 1, "Router", "expertCount", "expertCount must be at least 1, got \(expertCount)")
    let layer = Linear(inputSize, expertCount, bias: true, using: &generator)
    weight = layer.weight
    bias = layer.bias!
  }
}

/// s = x W^T + b for a gate, after checking that x is [N, inputSize].
func gateScores(_ input: Tensor, weight: Tensor, bias: Tensor, gate: String) -> Tensor {
  let inputSize = weight.shape[1]
  if input.rank != 2 || input.shape[1] != inputSize {
    tensorFailure(
      "\(gate): input of shape \(input.shape) does not match inputSize \(inputSize); expected [N, \(inputSize)]")
  }
  return Tensor.affine(input, weight: weight, bias: bias)
}
