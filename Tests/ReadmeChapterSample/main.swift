// %% [markdown]
// # 20. A first chapter
//
// A straight line y = 3 x + 1, learned by a single linear layer: its mean squared error falls.

// %%
import Lessons
import NeuralNetworks
import Plotting

let chapter = Chapter(
  number: 20, title: "A first chapter", abstract: "A linear layer learns a straight line.",
  defaultEpochs: 200)
var generator = SeededGenerator(seed: chapter.seed)
let x = Tensor.normal([256, 1], using: &generator)
let y = 3 * x + 1
let model = Linear(1, 1, using: &generator)

// %% [markdown]
// ## Training
//
// One full-batch Adam step per epoch. A function that uses the file's top-level values must be
// `@MainActor` (Swift 6 isolates them to the main actor), or take them as parameters.

// %%
@MainActor func train(epochs: Int) -> [Float] {
  let optimizer = Adam(parameters: model.parameters, learningRate: 0.05)
  var losses: [Float] = []
  for step in chapter.progress(0..<epochs, every: 50) {
    optimizer.zeroGrad()
    let loss = meanSquaredError(model(x), y)
    loss.backward()
    optimizer.step()
    losses.append(loss.item)
    step.log("epoch \(step.epoch): MSE \(format(loss.item, decimals: 4))")
  }
  return losses
}

let losses = train(epochs: chapter.epochs(quick: 20))
chapter.report("final MSE", losses.last!, decimals: 4)
var plot = LinePlot(title: "Training loss", xLabel: "epoch", yLabel: "MSE", yScale: .logarithmic)
plot.add(series: "linear layer", y: losses)
chapter.saveFigure(plot, name: "loss")   // Figures/chapter-20/loss.png
