/// Adam's state as named tensors, so a checkpoint can hold it beside the parameters and a run can
/// resume exactly where it stopped.
///
/// For a parameter saved as `name`, its moments are `optimizer.<name>.exp_avg` and
/// `optimizer.<name>.exp_avg_sq` (PyTorch's names for m and v) and its step count
/// `optimizer.<name>.step`, a one-element tensor; `optimizer.step_count` counts calls to `step()`.
/// Counts are stored as Float, exact up to 2^24 steps.
extension Adam {
  /// The state of every parameter in `named` (as the model names them) that this optimizer updates.
  public func stateTensors(for named: [(name: String, tensor: Tensor)]) -> [(name: String, tensor: Tensor)] {
    var tensors: [(name: String, tensor: Tensor)] = [("optimizer.step_count", Tensor([Float(stepCount)]))]
    for (name, parameter) in named {
      guard let moments = states.state(of: parameter) else { continue }
      let count = parameter.count
      let first = Array(UnsafeBufferPointer(start: moments.first, count: count))
      let second = Array(UnsafeBufferPointer(start: moments.second, count: count))
      tensors.append(("optimizer.\(name).exp_avg", Tensor(shape: parameter.shape, scalars: first)))
      tensors.append(("optimizer.\(name).exp_avg_sq", Tensor(shape: parameter.shape, scalars: second)))
      tensors.append(("optimizer.\(name).step", Tensor([Float(moments.steps)])))
    }
    return tensors
  }

  /// Restores what `stateTensors(for:)` saved. Throws, naming the tensor, when one is missing or has
  /// the wrong shape; nothing is changed then.
  public func loadState(_ saved: [String: Tensor], for named: [(name: String, tensor: Tensor)])
    throws(CheckpointError)
  {
    func tensor(_ key: String, shape: [Int]) throws(CheckpointError) -> Tensor {
      guard let found = saved[key] else { throw .missingTensor(path: "optimizer state", tensor: key) }
      guard found.shape == shape else {
        throw .shapeMismatch(path: "optimizer state", tensor: key, expected: shape, found: found.shape)
      }
      return found
    }
    let total = try tensor("optimizer.step_count", shape: [1])
    var restored: [(AdamMoments, [Float], [Float], Int)] = []
    for (name, parameter) in named {
      guard let moments = states.state(of: parameter) else { continue }
      let first = try tensor("optimizer.\(name).exp_avg", shape: parameter.shape).scalars
      let second = try tensor("optimizer.\(name).exp_avg_sq", shape: parameter.shape).scalars
      let steps = Int(try tensor("optimizer.\(name).step", shape: [1]).scalars[0])
      restored.append((moments, first, second, steps))
    }
    for (moments, first, second, steps) in restored {
      if !first.isEmpty {
        first.withUnsafeBufferPointer { moments.first.update(from: $0.baseAddress!, count: first.count) }
        second.withUnsafeBufferPointer { moments.second.update(from: $0.baseAddress!, count: second.count) }
      }
      moments.steps = steps
    }
    stepCount = Int(total.scalars[0])
  }
}
