// %% [markdown]
// # 1. Introduction: the whole mixture
//
// *Preview.* This chapter will show a whole mixture of experts at work: a gate that splits the input
// plane into regions and an expert that fits each one. Until that lesson is written, it trains a small
// regression with the course's engine, so that every part of a lesson runs: options, a training loop,
// printed results and a figure.
//
// The task is the regression the course returns to in chapter 5: predict y = x₁² + … + x₁₀², the sum of
// squares of a 10-dimensional input, with a small multilayer perceptron.

// %%
import Lessons
import NeuralNetworks
import Plotting

let chapter = Chapter(
  number: 1, title: "Introduction: the whole mixture",
  abstract: """
    Preview of the course's first lesson: a small multilayer perceptron learns the sum of squares of \
    a 10-dimensional input with Adam, and the chapter plots its training loss.
    """,
  defaultSeed: 42, defaultEpochs: 200)
var generator = SeededGenerator(seed: chapter.seed)

let inputs = Tensor.normal([512, 10], using: &generator)
let targets = inputs.squared().sum(axis: 1, keepDimensions: true)
let model = Sequential(
  Linear(10, 32, using: &generator), ReLU(),
  Linear(32, 1, using: &generator))
print("model: Linear(10, 32) - ReLU - Linear(32, 1), \(model.parameterCount) parameters")
print("input \(inputs.shape) -> output \(model(inputs).shape)")

// %% [markdown]
// ## Training
//
// Adam follows the gradient of the mean squared error, 1/N Σ (f(xᵢ) − yᵢ)², over the whole data set at
// every epoch. The loop prints the error every 40 epochs; on a terminal a progress bar shows the rest.

// %%
let optimizer = Adam(parameters: model.parameters, learningRate: 0.01)
var losses: [Float] = []
for step in chapter.progress(0..<chapter.epochs(quick: 20), every: 40) {
  optimizer.zeroGrad()
  let loss = meanSquaredError(model(inputs), targets)
  loss.backward()
  optimizer.step()
  losses.append(loss.item)
  step.log("epoch \(step.epoch): MSE \(format(loss.item, decimals: 4))")
}
print("the error fell by \(formatPercent(1 - losses.last! / losses.first!)) in \(losses.count) epochs")

var plot = LinePlot(title: "Training loss", xLabel: "epoch", yLabel: "MSE", yScale: .logarithmic)
plot.add(series: "MLP", y: losses)
chapter.saveFigure(plot, name: "loss")
