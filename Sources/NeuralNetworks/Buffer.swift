/// A tensor a module keeps that gradient descent does not train: a mask, running statistics, a
/// routing bias nudged by a rule after every step (auxiliary-loss-free balancing, Wang et al. 2024).
///
/// Reflection takes a `Buffer` property (or an array of them) for a buffer, never for a parameter,
/// so optimizers, `parameters` and `freeze()` ignore it, while `namedBuffers` and checkpoints
/// include it under its dotted path (PyTorch's `register_buffer`, which `state_dict()` also saves).
/// The wrapped tensor never requires a gradient: assigning one that does stores a detached copy.
public final class Buffer {
  /// The current value; replace it, or change its elements in place with `withMutableScalars`.
  public var value: Tensor {
    didSet { if value.requiresGrad { value = value.detached() } }
  }

  public init(_ value: Tensor) {
    self.value = value.requiresGrad ? value.detached() : value
  }

  public var shape: [Int] { value.shape }
}
