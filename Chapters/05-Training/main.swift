// %% [markdown]
// # 5. Training
//
// Chapter 4 trained a mixture without dwelling on how. There is nothing special about it: the output
// y(x) = sum_e g_e(x) E_e(x) is one differentiable function of all the parameters, the gate's and
// every expert's, so a mixture trains like any other network:
//
// 1. Split the data into a training set, which the model learns from, and a validation set, which it
//    never sees during training and which therefore measures how well it generalizes.
// 2. Each epoch, shuffle the training set and cut it into mini-batches.
// 3. For each mini-batch: clear the gradients, run the model, compute the loss (here the mean squared
//    error, MSE = mean of (y - target)^2), backpropagate, and let the optimizer update every
//    parameter.
//
// The optimizer is Adam. For each parameter p with gradient g it keeps running averages of g and g^2,
//
//     m = 0.9 m + 0.1 g,    v = 0.999 v + 0.001 g^2,    p = p - rate * m' / (sqrt(v') + 1e-8)
//
// (m' and v' correct the bias of averages that start at 0), so every parameter moves by about `rate`
// per step in the direction its recent gradients agree on, whatever the scale of its gradient. That
// matters for a mixture, whose gate and experts receive gradients of very different sizes.
//
// The slide's experiment: the sum-of-squares regression, y = x1^2 + ... + x10^2, learned by a mixture
// of four experts and by a single MLP with the same number of parameters. Which is better? We run
// it and see.

// %%
import Datasets
import Lessons
import MoE
import Plotting

let chapter = Chapter(
  number: 5, title: "Training",
  abstract: """
    The training loop written out (Adam, mean squared error, shuffled mini-batches, a validation split) \
    on the sum-of-squares regression, for a mixture of four experts and for a single MLP with the same \
    number of parameters; their loss curves side by side.
    """,
  defaultSeed: 5, defaultEpochs: 100)
var generator = SeededGenerator(seed: chapter.seed)

// %% [markdown]
// ## The data
//
// 4096 inputs x drawn from a standard normal distribution in 10 dimensions, with y the sum of their
// squares; four fifths for training, the remaining fifth for validation. The printed variance of the targets
// is a useful yardstick: it is the MSE of the laziest model, one that always predicts the mean.

// %%
let data = SyntheticData.sumOfSquares(count: chapter.quick ? 512 : 4096, dimension: 10, using: &generator)
let (training, validation) = data.split(trainingFraction: 0.8)
print("inputs \(data.inputs.shape), targets \(data.targets.shape)")
print("training: \(training.count) rows, validation: \(validation.count) rows")
let mean = training.targets.mean()
let variance = (training.targets - mean).squared().mean()
print("mean target \(format(mean.item, decimals: 2)), variance \(format(variance.item, decimals: 2))")

// %% [markdown]
// ## Two models of the same size
//
// A model with more parameters often wins for that reason alone, so we compare equal sizes. The
// mixture has four experts 10-16-1, each with `10 x 16 + 16` weights and biases in its hidden layer
// and `16 + 1` in its output layer, and a gate with `4 x 10` weights and 4 biases. A single MLP
// 10-H-1 has `12 H + 1` parameters, and H = 68 matches the mixture almost exactly.

// %%
let mixture = MixtureOfExperts(
  experts: FeedForwardExpert.make(count: 4, inputSize: 10, hiddenSize: 16, outputSize: 1, using: &generator),
  gate: try SoftmaxGate(inputSize: 10, expertCount: 4, using: &generator))
let mlp = Sequential(Linear(10, 68, using: &generator), ReLU(), Linear(68, 1, using: &generator))

let difference = Double(mlp.parameterCount - mixture.parameterCount) / Double(mixture.parameterCount)
print("mixture, 4 experts 10-16-1 + gate: \(mixture.parameterCount) parameters")
print("single MLP 10-68-1: \(mlp.parameterCount) parameters (\(formatPercent(difference, decimals: 2)) more)")
chapter.report("mixture parameters", mixture.parameterCount)
chapter.report("MLP parameters", mlp.parameterCount)

// %% [markdown]
// ## The training loop
//
// `train` is the whole recipe in one function. After every epoch it measures the MSE on the full
// training and validation sets, without recording gradients, so that the two curves are measured the
// same way and can be compared directly. Both models get the same learning rate (0.003), batch size
// (64), number of epochs and order of mini-batches.

// %%
/// Trains `model` with Adam on shuffled mini-batches of `training`; returns the MSE on the training and
/// validation sets after every epoch (index 0: before training). `seed` fixes the batch order.
func train(
  _ model: any Layer, name: String, on training: RegressionData, validation: RegressionData, epochs: Int,
  learningRate: Float, batchSize: Int, seed: UInt64
) -> (training: [Float], validation: [Float]) {
  let optimizer = Adam(parameters: model.parameters, learningRate: learningRate)
  var batchOrder = SeededGenerator(seed: seed)
  func evaluate(_ set: RegressionData) -> Float {
    withoutGradients { meanSquaredError(model(set.inputs), set.targets).item }
  }
  var curves = (training: [evaluate(training)], validation: [evaluate(validation)])
  for step in chapter.progress(1...epochs, every: 20) {
    for batch in training.batches(size: batchSize, using: &batchOrder) {
      optimizer.zeroGrad()
      let loss = meanSquaredError(model(batch.inputs), batch.targets)
      loss.backward()
      optimizer.step()
    }
    curves.training.append(evaluate(training))
    curves.validation.append(evaluate(validation))
    let (trainingMSE, validationMSE) = (curves.training.last!, curves.validation.last!)
    step.log(
      "\(name) epoch \(step.epoch): training MSE \(format(trainingMSE, decimals: 3)), "
        + "validation MSE \(format(validationMSE, decimals: 3))")
  }
  return curves
}

// %%
let epochs = chapter.epochs(quick: 5)
let mixtureLoss = train(
  mixture, name: "mixture", on: training, validation: validation, epochs: epochs, learningRate: 0.003,
  batchSize: 64, seed: chapter.seed + 1)
let mlpLoss = train(
  mlp, name: "MLP", on: training, validation: validation, epochs: epochs, learningRate: 0.003,
  batchSize: 64, seed: chapter.seed + 1)

// %% [markdown]
// ## Losses at fixed epochs
//
// Epoch 0 is before any training. Both models start at about the same loss (120.691 and 122.909):
// their initial outputs are close to 0 while the targets average 9.91, and predicting 0 everywhere
// would cost `9.91^2 + 20.99`, about `119`.

// %%
let checkpoints = [0, 1, 5, 10, 25, 50, 100].filter { $0 < epochs } + [epochs]
printTable(
  header: ["epoch", "mixture train", "mixture valid", "MLP train", "MLP valid"],
  rows: checkpoints.map { e in
    [String(e)]
      + [mixtureLoss.training[e], mixtureLoss.validation[e], mlpLoss.training[e], mlpLoss.validation[e]].map {
        format($0, decimals: 3)
      }
  })
let winner = mixtureLoss.validation.last! < mlpLoss.validation.last! ? "the mixture" : "the single MLP"
print("lower validation MSE after \(counted(epochs, "epoch")): \(winner)")
chapter.report("mixture validation MSE", mixtureLoss.validation.last!, decimals: 3)
chapter.report("MLP validation MSE", mlpLoss.validation.last!, decimals: 3)
chapter.report("lower validation MSE", winner)

// %% [markdown]
// The single MLP is ahead from the first epoch on, and stays ahead: at epoch 10 its validation MSE
// is 4.329 against the mixture's 7.855, at epoch 100 it is 0.472 against 0.730. Both models end far
// below the variance of the targets (20.99), so both have learned the bowl; the MLP has learned it
// better. Both also show the first sign of overfitting, a gap between training and validation error
// (0.161 against 0.472 for the MLP, 0.394 against 0.730 for the mixture).
//
// ## Loss curves
//
// The same numbers for every epoch, on a logarithmic scale, so that the late epochs (where the
// losses are small) remain readable. Solid lines are training, dashed lines validation; one colour
// per model. Look for the gap between the two colours, which opens in the first epochs and never
// closes, and for the gap between solid and dashed lines of one colour, which is the overfitting.

// %%
var plot = LinePlot(
  title: "Sum of squares: mixture vs single MLP (same size)", xLabel: "epoch", yLabel: "MSE (log scale)",
  yScale: .logarithmic)
plot.add(series: "mixture, training", x: Array(1...mixtureLoss.training.count), y: mixtureLoss.training, color: Palette.color(0))
plot.add(series: "mixture, validation", x: Array(1...mixtureLoss.validation.count), y: mixtureLoss.validation, color: Palette.color(0), style: .dashed)
plot.add(series: "MLP, training", x: Array(1...mlpLoss.training.count), y: mlpLoss.training, color: Palette.color(1))
plot.add(series: "MLP, validation", x: Array(1...mlpLoss.validation.count), y: mlpLoss.validation, color: Palette.color(1), style: .dashed)
chapter.saveFigure(plot, name: "loss-curves")

// %% [markdown]
// ## What did the gate do?
//
// A mixture can only beat a single network if splitting the inputs among experts helps. We look at
// how the trained gate treats the validation inputs: which expert it ranks first, and how much weight
// that expert gets.

// %%
let routing = withoutGradients { mixture.forward(validation.inputs).routing }
let shares = routing.utilization(.argmax)
print("validation inputs per expert (gate's arg-max): " + shares.map { formatPercent($0) }.joined(separator: ", "))
print("effective number of experts: \(format(effectiveExpertCount(shares), decimals: 2)) of 4")
let meanTop = routing.probabilities.max(axis: 1).mean().item
print("mean largest gate weight: \(format(meanTop, decimals: 3))")

// %% [markdown]
// The gate ranks expert 4 first for 98.7% of the inputs (an effective number of experts of 1.07), yet
// the largest gate weight averages 0.474: for a typical input no expert gets even half the weight.
// The gate did not divide the input space into regions; it blends the four experts everywhere. The
// mixture therefore behaves like an average of four narrow networks of 16 hidden units each, where
// the MLP is one network of 68. That is no surprise: the sum of squares has no regimes, it is the same
// smooth bowl in every direction, and there is nothing for specialists to specialize in. A mixture
// pays for its gate and splits its hidden units among experts; it earns that back on problems whose
// input space has regions that want different functions, like those of chapters 4 and 6.
//
// ## Summary
//
// - A mixture trains like any network: Adam, mean squared error, shuffled mini-batches, and a
//   validation set that the model never trains on.
// - On the sum-of-squares regression, a single MLP with 817 parameters reached a validation MSE of
//   0.472 after 100 epochs; a mixture of four experts with 816 parameters reached 0.730. The single
//   network wins on this problem.
// - The trained gate blends the experts instead of choosing between them (mean largest weight
//   0.474): a smooth problem without regimes gives the experts nothing to specialize in.
// - The loop written out here is what the library's `fit` runs (module `Training`): epochs over
//   seeded shuffled mini-batches, zero the gradients, forward, loss, backward, an optimizer step, and
//   a validation pass after each epoch. `fit` adds what longer runs need: a loss closure that also
//   sees the routing record (so an auxiliary loss is one more term), gradient clipping, a
//   learning-rate schedule, early stopping that keeps the best parameters, and a history that
//   writes CSV. The chapters from 7 on call `fit` instead of writing the loop again.
//
// ## Exercises
//
// Exercises 6, 7 and 8 check themselves. Write your answers in `Exercises.swift`, beside this lesson (a
// stub per exercise, whose comment restates the task), and run `make check-5`: it prints one line per
// exercise, `passed`, `not yet` with the input it tried and the value it expected, or `not done yet`.
// The other exercises are for thinking and trying; the [teachers' page](../TEACHERS.md) discusses all
// of them.
//
// 1. Rerun with other seeds (`--seed 1`, `--seed 2`, ...). Does the single MLP win every time, and by
//    how much?
// 2. Change the learning rate in the cell that trains both models, to `0.03` and to `0.0003`. Which
//    model is more sensitive to it? Do the loss curves become noisy or flat?
// 3. Train for longer (`--epochs 300`). Does the gap between the two models close? Does the
//    validation loss of either model start to rise, a stronger sign of overfitting?
// 4. Give the problem regimes: make the target the sum of squares where x1 > 0 and the sum of
//    absolute values where x1 <= 0 (build a `RegressionData` from your own targets). Does the mixture
//    catch up with the MLP? What does the gate do now?
// 5. Try other mixtures of the same size: two experts `10-32-1` (against an MLP `10-66-1`) or eight
//    experts `10-8-1` (against an MLP `10-72-1`). Count both models' parameters first.
// 6. *(checked)* Write Adam's update by hand, with its bias correction, for any start and sequence of
//    gradients (`adamSteps`). The checker runs the library's `Adam` on the same gradients.
// 7. *(checked)* Write the size matching of exercise 5 as a function: the smallest H for which an
//    MLP 10-H-1 (or any input size) has at least as many parameters as a given mixture with a
//    softmax gate (`matchingWidth`).
// 8. *(checked)* The chapter prints the variance of the training targets. What is it for infinitely
//    many points, that is, the MSE of always predicting the mean (`targetVariance`)? Work it out
//    from the distribution of x.
