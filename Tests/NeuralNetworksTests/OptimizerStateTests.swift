import NeuralNetworks
import Testing

/// The state of an optimizer belongs to a parameter, whatever else the optimizer updates.
@Suite struct OptimizerStateTests {
  /// Gradients for steps 1...4, a different one for each parameter and step.
  private func gradient(step: Int, parameter: Int) -> Tensor {
    Tensor([Float(step) * 0.3 - Float(parameter), 0.5 + Float(parameter * step) * 0.1])
  }

  /// Runs four steps on `kept`; `others` are present for steps 1-2, removed for step 3, and new
  /// ones are added for step 4. Returns kept's value after each step.
  private func trajectory(_ kind: OptimizerKind, withOthers: Bool) -> [[Float]] {
    let kept = Tensor([1, -2], requiresGrad: true)
    let others = withOthers ? [Tensor([3, 3], requiresGrad: true), Tensor([0.5, 0], requiresGrad: true)] : []
    // Kept stands after the others, so a position-keyed state would read theirs after the removal.
    let optimizer = kind.make(others + [kept])
    var values: [[Float]] = []
    for step in 1...4 {
      if step == 3 { optimizer.remove(parameters: others) }
      if step == 4 && withOthers { optimizer.add(parameters: [Tensor([7, 7], requiresGrad: true)]) }
      for (index, parameter) in optimizer.parameters.enumerated() where parameter !== kept {
        parameter.grad = gradient(step: step, parameter: index + 1)
      }
      kept.grad = gradient(step: step, parameter: 0)
      optimizer.step()
      values.append(kept.scalars)
    }
    return values
  }

  @Test func removingAndAddingOthersLeavesAParametersUpdatesBitIdentical() {
    for kind in OptimizerKind.allCases {
      let alone = trajectory(kind, withOthers: false)
      let crowded = trajectory(kind, withOthers: true)
      #expect(alone.map { $0.map(\.bitPattern) } == crowded.map { $0.map(\.bitPattern) })
      #expect(alone[0] != alone[3], "the parameter moves")
    }
  }

  @Test func parametersAreListedOnceInTheOrderGivenAndRemovedOnes() {
    let a = Tensor([1], requiresGrad: true)
    let b = Tensor([2], requiresGrad: true)
    let c = Tensor([3], requiresGrad: true)
    for kind in OptimizerKind.allCases {
      let optimizer = kind.make([a, b, a])
      #expect(optimizer.parameters.map(ObjectIdentifier.init) == [a, b].map(ObjectIdentifier.init))
      optimizer.add(parameters: [b, c])
      #expect(optimizer.parameters.map(ObjectIdentifier.init) == [a, b, c].map(ObjectIdentifier.init))
      optimizer.remove(parameters: [a, Tensor([9])])
      #expect(optimizer.parameters.map(ObjectIdentifier.init) == [b, c].map(ObjectIdentifier.init))
    }
  }

  /// Adam's bias correction counts each parameter's own steps: one added after two steps moves by
  /// almost exactly the learning rate on its first step (m / (1 - beta1) = g, v / (1 - beta2) = g^2).
  @Test func aParameterAddedLaterStartsAdamsBiasCorrectionAtOne() {
    let early = Tensor([0], requiresGrad: true)
    let optimizer = Adam(parameters: [early], learningRate: 0.1)
    for _ in 0..<2 {
      early.grad = Tensor([1])
      optimizer.step()
    }
    let late = Tensor([0], requiresGrad: true)
    optimizer.add(parameters: [late])
    late.grad = Tensor([0.25])
    optimizer.step()
    #expect(isClose(late.scalars[0], -0.1, tolerance: 1e-5))
    #expect(optimizer.stepCount == 3)
    #expect(optimizer.stepCount(of: early) == 3 && optimizer.stepCount(of: late) == 1)
    #expect(optimizer.stepCount(of: Tensor([0])) == nil)
  }

  /// Removing forgets: a parameter removed and added back starts with fresh momentum (b = g).
  @Test func removedStateIsForgotten() {
    let p = Tensor([1.0], requiresGrad: true)
    let optimizer = SGD(parameters: [p], learningRate: 0.1, momentum: 0.9)
    p.grad = Tensor([1])
    optimizer.step()  // b = 1, p = 0.9
    optimizer.remove(parameters: [p])
    optimizer.add(parameters: [p])
    p.grad = Tensor([1])
    optimizer.step()  // fresh: b = 1, p = 0.8 (with the old buffer: b = 1.9, p = 0.71)
    #expect(isClose(p.scalars[0], 0.8))
  }
}
