// Chapter 1 (preview): the engine at work on a small regression.
// The full lesson (the whole mixture, its expert regions) replaces this program in the lessons issue.
import NeuralNetworks

var generator = SeededGenerator(seed: 42)

// Data: y = sum of squares of a 10-D input, the regression the course returns to in chapter 5.
let inputs = Tensor.normal([512, 10], using: &generator)
let targets = inputs.squared().sum(axis: 1, keepDimensions: true)

let model = Sequential(
  Linear(10, 32, using: &generator), ReLU(),
  Linear(32, 1, using: &generator))
let optimizer = Adam(parameters: model.parameters, learningRate: 0.01)
print("model: Linear(10, 32) - ReLU - Linear(32, 1), \(model.parameterCount) parameters")
print("input \(inputs.shape) -> output \(model(inputs).shape)")

for epoch in 0...200 {
  optimizer.zeroGrad()
  let loss = meanSquaredError(model(inputs), targets)
  loss.backward()
  optimizer.step()
  if epoch % 40 == 0 { print("epoch \(epoch): MSE \(formatDecimal(loss.item, decimals: 4))") }
}
