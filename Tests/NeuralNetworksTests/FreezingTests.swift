import NeuralNetworks
import Testing

/// Two linear experts mixed by a softmax gate: y = sum_e softmax(gate(x))_e * expert_e(x).
final class GatedPair: Layer {
  let experts: [Linear]
  let gate: Linear
  init(seed: UInt64) {
    var generator = SeededGenerator(seed: seed)
    experts = [Linear(2, 1, using: &generator), Linear(2, 1, using: &generator)]
    gate = Linear(2, 2, using: &generator)
  }
  func callAsFunction(_ input: Tensor) -> Tensor {
    let weights = gate(input).softmax(axis: 1)
    let outputs = Tensor.concatenate(experts.map { $0(input) }, axis: 1)
    return (weights * outputs).sum(axis: 1, keepDimensions: true)
  }
}

@Suite struct FreezingTests {
  @Test func freezingMarksEveryParameterBelowAndUnfreezingRestoresThem() {
    let model = GatedPair(seed: 1)
    #expect(!model.isFrozen)
    model.experts[0].freeze()
    #expect(model.experts[0].isFrozen && !model.experts[1].isFrozen && !model.isFrozen)
    let trainable = model.trainableParameters
    #expect(trainable.count == 4)
    #expect(!trainable.contains { $0 === model.experts[0].weight || $0 === model.experts[0].bias! })
    model.freeze()
    #expect(model.isFrozen && model.trainableParameters.isEmpty)
    model.unfreeze()
    #expect(!model.isFrozen && model.trainableParameters.count == 6)
  }

  @Test func aFrozenParameterGetsNoGradientAndLosesTheOneItHad() {
    let model = GatedPair(seed: 2)
    let x = Tensor(rows: [[1, 2], [-1, 0.5]])
    model(x).sum().backward()
    #expect(model.experts[1].weight.grad != nil)
    model.experts[1].freeze()
    #expect(model.experts[1].weight.grad == nil)
    model.zeroGrad()
    model(x).sum().backward()
    #expect(model.experts[1].weight.grad == nil && model.experts[1].bias!.grad == nil)
    #expect(model.experts[0].weight.grad != nil && model.gate.weight.grad != nil)
  }

  @Test func aFrozenExpertStaysBitIdenticalWhileTheOthersTrain() {
    for kind in OptimizerKind.allCases {
      let model = GatedPair(seed: 3)
      // Built over every parameter, before freezing: it must skip the frozen ones by itself.
      let optimizer = kind.make(model.parameters)
      model.experts[0].freeze()
      let frozenBefore = model.experts[0].parameters.map { $0.scalars.map(\.bitPattern) }
      let othersBefore = (model.experts[1].parameters + model.gate.parameters).map(\.scalars)
      var generator = SeededGenerator(seed: 4)
      for _ in 0..<5 {
        let x = Tensor.normal([8, 2], using: &generator)
        optimizer.zeroGrad()
        meanSquaredError(model(x), x.sum(axis: 1, keepDimensions: true)).backward()
        optimizer.step()
      }
      #expect(model.experts[0].parameters.map { $0.scalars.map(\.bitPattern) } == frozenBefore)
      let othersAfter = (model.experts[1].parameters + model.gate.parameters).map(\.scalars)
      #expect(zip(othersBefore, othersAfter).allSatisfy { $0 != $1 }, "every other parameter moves")

      // Unfrozen, the expert trains again under the same optimizer.
      model.experts[0].unfreeze()
      optimizer.zeroGrad()
      meanSquaredError(model(Tensor.ones([4, 2])), Tensor.zeros([4, 1])).backward()
      optimizer.step()
      #expect(model.experts[0].parameters.map { $0.scalars.map(\.bitPattern) } != frozenBefore)
    }
  }
}

/// One of each optimizer, with momentum and decay switched on so every code path runs.
enum OptimizerKind: CaseIterable {
  case sgd, adam, adamW

  func make(_ parameters: [Tensor]) -> any Optimizer {
    switch self {
    case .sgd: return SGD(parameters: parameters, learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
    case .adam: return Adam(parameters: parameters, learningRate: 0.1, weightDecay: 0.01)
    case .adamW: return AdamW(parameters: parameters, learningRate: 0.1, weightDecay: 0.1)
    }
  }
}

@Suite struct TrainingModeTests {
  @Test func aModuleReportsTheModeOfTheSubModulesThatHaveOne() {
    var generator = SeededGenerator(seed: 1)
    let model = Sequential(Linear(2, 2, using: &generator), Dropout(probability: 0.5, seed: 1))
    #expect(model.isTraining)
    model.eval()
    #expect(!model.isTraining && !(model.layers[1] as! Dropout).isTraining)
    model.train()
    #expect(model.isTraining)
    // Nothing below has a mode: nothing behaves as in training.
    #expect(!Sequential(Linear(2, 2, using: &generator), ReLU()).isTraining)
  }
}
