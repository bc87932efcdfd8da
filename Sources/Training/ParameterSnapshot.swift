import NeuralNetworks

/// A copy of the values of a module's parameters and buffers, to put back later.
///
/// Values are copied, not references kept: later steps change the model's tensors in place, and
/// restoring writes into those same tensors, so an optimizer keyed by their identity keeps working.
public struct ParameterSnapshot {
  private let parameters: [(tensor: Tensor, scalars: [Float])]
  private let buffers: [(buffer: Buffer, value: Tensor)]

  public init(of model: any Module) {
    parameters = model.parameters.map { ($0, $0.scalars) }
    buffers = model.namedBuffers.map { ($0.buffer, $0.buffer.value.detached()) }
  }

  /// Writes the saved values back into the tensors they came from.
  public func restore() {
    for (tensor, scalars) in parameters {
      tensor.withMutableScalars { target in
        scalars.withUnsafeBufferPointer { source in
          for index in 0..<target.count { target[index] = source[index] }
        }
      }
    }
    for (buffer, value) in buffers { buffer.value = value.detached() }
  }
}
