// %% [markdown]
// # 2. Expert networks
//
// An expert is an ordinary neural network. In this course it is usually a small multilayer
// perceptron with one hidden layer:
//
//     E(x) = W2 act(W1 x + b1) + b2
//
// where W1, b1 map the input to the hidden units, act is an activation function applied to each hidden
// unit (tanh here, ReLU in chapter 1), and W2, b2 map the hidden units to the output. Nothing in an
// expert says "expert": what makes it one is that, inside a mixture, it only has to be good on the
// inputs the gate sends to it.
//
// This chapter shows why that matters. A small network asked to fit a function that changes its
// character from one region to the next ends up fitting some regions well and others badly. The
// same network, asked to fit a single region, fits it almost perfectly. That gap is what a mixture of
// experts exploits.

// %%
import Datasets
import Lessons
import MoE
import Plotting

let chapter = Chapter(
  number: 2, title: "Expert networks",
  abstract: "One small network fitting a 1-D target with three regimes gets part of the function right "
    + "and the rest wrong; the same network trained on a single regime fits that regime.",
  defaultSeed: 3, defaultEpochs: 300)
var generator = SeededGenerator(seed: chapter.seed)

// %% [markdown]
// ## A target with three regimes
//
// The input x lies in [-1, 1], and the target follows a different rule on each third of the interval:
//
//     x < -1/3:          y = -2 x - 1.5           the line
//     -1/3 <= x < 1/3:   y = 0.8 sin(3 pi x)      the wiggle (one full sine period)
//     x >= 1/3:          y = 3 (x - 2/3)^2 - 0.2  the parabola
//
// The training data are 600 points with x drawn uniformly and Gaussian noise of standard deviation
// 0.05 added to y, so even a perfect model has a training MSE of about 0.05^2 = 0.0025. To judge a
// model we compare it with the noise-free target on a grid of 601 evenly spaced points, regime by
// regime.

// %%
let data = SyntheticData.piecewise(count: 600, noise: 0.05, using: &generator)
let grid = SyntheticData.grid(from: -1, to: 1, count: 601)
let regimeNames = ["line", "wiggle", "parabola"]

let regimeOfPoint = data.inputs.scalars.map(SyntheticData.piecewiseRegime)
for regime in 0..<3 {
  print("\(regimeNames[regime]): \(regimeOfPoint.filter { $0 == regime }.count) training points")
}

// %% [markdown]
// Three small helpers: one trains a network with Adam on the mean squared error, in mini-batches of 32,
// and returns the loss of each epoch; one evaluates a network on the grid; one measures its error
// against the noise-free target separately in each regime. Chapter 5 looks at the training loop in
// detail; here it is only a tool.

// %%
/// Trains `expert` on `data` with Adam and mini-batches of 32; returns the training MSE of each epoch.
func train(
  _ expert: FeedForwardExpert, on data: RegressionData, epochs: Int, report: String,
  using generator: inout SeededGenerator
) -> [Float] {
  let optimizer = Adam(parameters: expert.parameters, learningRate: 0.01)
  var losses: [Float] = []
  for step in chapter.progress(1...epochs, every: max(1, epochs / 3)) {
    var total: Float = 0
    let batches = data.batches(size: 32, using: &generator)
    for batch in batches {
      optimizer.zeroGrad()
      let loss = meanSquaredError(expert(batch.inputs), batch.targets)
      loss.backward()
      optimizer.step()
      total += loss.item
    }
    losses.append(total / Float(batches.count))
    step.log("\(report), epoch \(step.epoch): training MSE \(format(losses.last!, decimals: 4))")
  }
  return losses
}

/// The expert's outputs at the points of `grid` ([N, 1]), as an array.
func curve(_ expert: FeedForwardExpert, over grid: Tensor) -> [Float] {
  withoutGradients { expert(grid) }.scalars
}

/// Mean squared error of the expert against the noise-free target, separately over each regime's
/// points of `grid`.
func regimeErrors(_ expert: FeedForwardExpert, over grid: Tensor) -> [Float] {
  var sums = [Float](repeating: 0, count: 3)
  var counts = [Float](repeating: 0, count: 3)
  for (x, y) in zip(grid.scalars, curve(expert, over: grid)) {
    let regime = SyntheticData.piecewiseRegime(x)
    let error = y - SyntheticData.piecewiseTarget(x)
    sums[regime] += error * error
    counts[regime] += 1
  }
  return (0..<3).map { sums[$0] / counts[$0] }
}

// %% [markdown]
// ## One expert for the whole interval
//
// The expert is deliberately small: one input, 4 tanh hidden units, one output (1-4-1). Each tanh unit
// contributes one smooth S-shaped step to the curve, so the expert can bend its output in only a few
// places. It trains on all 600 points.

// %%
let epochs = chapter.epochs(quick: 30)
let expert = FeedForwardExpert(
  inputSize: 1, hiddenSize: 4, outputSize: 1, activation: Tanh(), using: &generator)
print("expert 1-4-1: \(expert.parameterCount) parameters")
let losses = train(expert, on: data, epochs: epochs, report: "1-4-1 on all regimes", using: &generator)

// %% [markdown]
// Its error in each regime, against the noise-free target:

// %%
let errors = regimeErrors(expert, over: grid)
printTable(
  header: ["regime", "MSE of the 1-4-1 expert"],
  rows: (0..<3).map { [regimeNames[$0], format(errors[$0], decimals: 4)] })
let best = errors.indices.min { errors[$0] < errors[$1] }!
let worst = errors.indices.max { errors[$0] < errors[$1] }!
print(
  "best regime: \(regimeNames[best]) (MSE \(format(errors[best], decimals: 4))), "
    + "worst regime: \(regimeNames[worst]) (MSE \(format(errors[worst], decimals: 4))), "
    + "ratio \(format(errors[worst] / errors[best], decimals: 1))")
chapter.report("best regime", regimeNames[best])
chapter.report("best regime MSE", errors[best], decimals: 4)
chapter.report("worst regime", regimeNames[worst])
chapter.report("worst regime MSE", errors[worst], decimals: 4)
chapter.report("expert parameters", expert.parameterCount)

// %% [markdown]
// The figure puts the expert's curve (blue) over the target (thick gray). Look at where they part:
// the target jumps at x = -1/3 and x = 1/3, where the rule changes, and a smooth curve with four bends
// cannot jump, so it cuts the corners; and it has too few bends left over to follow the whole
// sine period. The loss curve has flattened out (the printed training MSE fell only a little over the
// last two hundred epochs) and stays well above the noise floor.

// %%
var fit = LinePlot(title: "One 1-4-1 expert fitting all three regimes", xLabel: "x", yLabel: "y")
fit.add(
  series: "target", x: grid.scalars, y: grid.scalars.map(SyntheticData.piecewiseTarget), color: .gray, lineWidth: 5)
fit.add(series: "expert", x: grid.scalars, y: curve(expert, over: grid), color: Palette.color(0))
chapter.saveFigure(fit, name: "fit")

var lossPlot = LinePlot(
  title: "Training loss of the 1-4-1 expert", xLabel: "epoch", yLabel: "training MSE (log scale)",
  yScale: .logarithmic)
lossPlot.add(series: "1-4-1 expert, all regimes", x: Array(1...losses.count), y: losses, color: Palette.color(0))
lossPlot.add(
  series: "noise floor (0.05^2)", y: [Float](repeating: 0.0025, count: losses.count), color: .gray,
  style: .dashed)
chapter.saveFigure(lossPlot, name: "loss")

// %% [markdown]
// ## Is it just too small?
//
// A fair question: give the expert more hidden units and it will fit everything. Here is the same
// training with 16 hidden units instead of 4, four times as many bends available:

// %%
let bigger = FeedForwardExpert(
  inputSize: 1, hiddenSize: 16, outputSize: 1, activation: Tanh(), using: &generator)
_ = train(bigger, on: data, epochs: epochs, report: "1-16-1 on all regimes", using: &generator)
let biggerErrors = regimeErrors(bigger, over: grid)
printTable(
  header: ["regime", "1-4-1 MSE", "1-16-1 MSE"],
  rows: (0..<3).map {
    [regimeNames[$0], format(errors[$0], decimals: 4), format(biggerErrors[$0], decimals: 4)]
  })

// %% [markdown]
// The bigger network does better on some regimes, but its error on the wiggle stays of the same order
// as the small one's. Capacity alone is not the obstacle here: one set of weights, trained on the
// average error over the whole interval and with the same training budget, has to serve three
// different rules at once.
//
// ## One expert per regime
//
// Now the other way round: three fresh 1-4-1 experts, each trained only on the points of one regime.
// Each has about a third of the data, so it trains for three times as many epochs, which makes about
// as many optimizer steps as before.
// The table gives each expert's error in every regime; the row is where it was trained.

// %%
var specialists: [FeedForwardExpert] = []
var specialistErrors: [[Float]] = []
for regime in 0..<3 {
  let rows = regimeOfPoint.indices.filter { regimeOfPoint[$0] == regime }
  let part = RegressionData(
    inputs: data.inputs.indexSelect(rows: rows), targets: data.targets.indexSelect(rows: rows))
  let specialist = FeedForwardExpert(
    inputSize: 1, hiddenSize: 4, outputSize: 1, activation: Tanh(), using: &generator)
  _ = train(specialist, on: part, epochs: 3 * epochs, report: "1-4-1 on the \(regimeNames[regime])", using: &generator)
  specialists.append(specialist)
  specialistErrors.append(regimeErrors(specialist, over: grid))
}
printTable(
  header: ["trained on"] + regimeNames.map { "MSE on the \($0)" },
  rows: (0..<3).map { regime in
    ["the \(regimeNames[regime])"] + specialistErrors[regime].map { format($0, decimals: 4) }
  })
printTable(
  header: ["regime", "all-regime expert", "its specialist", "error ratio"],
  rows: (0..<3).map { regime in
    let specialistError = specialistErrors[regime][regime]
    return [
      regimeNames[regime], format(errors[regime], decimals: 4), format(specialistError, decimals: 4),
      format(errors[regime] / specialistError, decimals: 1),
    ]
  })

// %% [markdown]
// Read the first table along its diagonal: trained on its own regime, each 1-4-1 expert is much better
// there than the 1-4-1 expert that had to cover all three. The second table lines them up: the error
// ratio is above 4 in every regime, and smallest on the parabola, the regime the all-regime expert
// already fitted best. Off the
// diagonal of the first table the errors are huge: an expert knows nothing about inputs it never saw,
// and extrapolates its own rule. The figure shows both facts at once (the y axis is cut at -1.5 and 1.5): each curve
// hugs the target on its third of the interval and wanders off elsewhere.

// %%
var special = LinePlot(title: "Three 1-4-1 experts, each trained on one regime", xLabel: "x", yLabel: "y")
special.yRange = -1.5...1.5
special.add(
  series: "target", x: grid.scalars, y: grid.scalars.map(SyntheticData.piecewiseTarget), color: .gray,
  lineWidth: 5)
for (regime, specialist) in specialists.enumerated() {
  special.add(
    series: "trained on the \(regimeNames[regime])", x: grid.scalars, y: curve(specialist, over: grid),
    color: Palette.color(regime))
}
chapter.saveFigure(special, name: "specialists")

// %% [markdown]
// So three small experts hold everything needed to fit the target, but each one is only right in its
// own third. Something has to look at x and decide whose answer to use. That is the gate, the subject
// of chapter 3; chapter 4 puts experts and gate together and trains them jointly, without telling
// anyone where the regimes are.
//
// ## Summary
//
// - An expert is an ordinary network, here a 1-4-1 tanh perceptron, E(x) = W2 tanh(W1 x + b1) + b2.
// - Trained on a target with three regimes, one small expert fits some regimes much better than others:
//   the printed ratio between its worst and best regime errors says by how much.
// - Four times as many hidden units did not fix the worst regime: a single network trades the regimes
//   against each other.
// - The same small network trained on one regime fits that regime far better, and is useless outside
//   it. Dividing the input space needs a second network that decides who answers: the gate.
//
// ## Exercises
//
// Exercises 5, 6 and 7 check themselves. Write your answers in `Exercises.swift`, beside this lesson (a
// stub per exercise, whose comment restates the task), and run `make check-2`: it prints one line per
// exercise, `passed`, `not yet` with the input it tried and the value it expected, or `not done yet`.
// The other exercises are for thinking and trying; the [teachers' page](../TEACHERS.md) discusses all
// of them.
//
// 1. Replace `Tanh()` by `ReLU()` in the single expert. A ReLU network's curve is made of straight
//    pieces: which regime does it now fit best and worst? Try `--seed 1` to `--seed 5`: is the answer
//    stable from seed to seed?
// 2. Train the 1-16-1 expert for ten times as many epochs (`--epochs 3000`). Does the
//    wiggle error ever come down to the specialists' level? What does that cost in training steps?
// 3. Change the noise in `SyntheticData.piecewise(count:noise:using:)` to `0` and to `0.2`. How do the
//    tables change? Which numbers are limited by the noise and which by the expert?
// 4. Train a specialist on two regimes (the line and the wiggle). Is a 1-4-1 network enough for two
//    rules? Where does it give up?
// 5. *(checked)* Compute a tanh expert 1-H-1 by hand from its weights,
//    E(x) = sum_j v_j tanh(w_j x + b_j) + c (`expertOutput`). The checker compares it with a
//    `FeedForwardExpert` holding the same weights.
// 6. *(checked)* Write `regimeErrors` for any inputs and predictions: the MSE against the noise-free
//    target in each regime, with 0 for a regime that has no input.
// 7. *(checked)* What training MSE does a perfect model have, on average, on targets with noise of
//    standard deviation `0.05` (`noiseFloor`)? Compare with the specialists' errors above.
