extension Tensor {
  /// Reverse-mode automatic differentiation from this tensor.
  ///
  /// Seeds d(self)/d(self) = 1 (or `gradient`, which must have this tensor's shape), visits the graph
  /// in reverse topological order and adds each op's chained gradient into its operands' `grad`.
  /// Gradients accumulate over calls until `zeroGrad()`, as in PyTorch.
  public func backward(_ gradient: Tensor? = nil) {
    if !requiresGrad {
      tensorFailure(
        "backward: this tensor (from \(operation)) does not require gradients; "
          + "set requiresGrad on a leaf it depends on")
    }
    if let gradient {
      if gradient.shape != shape {
        tensorFailure("backward: gradient of shape \(gradient.shape) for an output of shape \(shape)")
      }
      gradient.withScalars { seed in
        accumulateGradient { target in
          for index in 0..<seed.count { target[index] += seed[index] }
        }
      }
    } else {
      if count != 1 {
        tensorFailure(
          "backward: output of shape \(shape) is not a scalar; reduce it (sum, mean) or pass a gradient")
      }
      accumulateGradient { $0[0] += 1 }
    }
    for node in topologicalOrder().reversed() {
      guard let function = node.backwardFunction, node.gradientStorage != nil else { continue }
      function(node)
      // Only leaves keep their gradients (as in PyTorch); an op's result lets go of its own.
      node.gradientStorage = nil
    }
  }

  /// Nodes reachable from self that require gradients, each after all the nodes it depends on.
  /// Iterative depth-first search: deep graphs (long sequences) must not overflow the stack.
  private func topologicalOrder() -> [Tensor] {
    var order: [Tensor] = []
    var visited = Set<ObjectIdentifier>()
    var stack: [(node: Tensor, nextParent: Int)] = [(self, 0)]
    visited.insert(ObjectIdentifier(self))
    while !stack.isEmpty {
      let (node, nextParent) = stack[stack.count - 1]
      if nextParent < node.parents.count {
        stack[stack.count - 1].nextParent += 1
        let parent = node.parents[nextParent]
        if parent.requiresGrad && visited.insert(ObjectIdentifier(parent)).inserted {
          stack.append((parent, 0))
        }
      } else {
        order.append(node)
        stack.removeLast()
      }
    }
    return order
  }
}
