// %% [markdown]
// # 1. Introduction: the whole mixture in one page
//
// A mixture of experts (MoE) is a layer made of several small networks, the *experts*, and one more
// network, the *gate*, that decides for each input how much to trust each expert. The layer's output
// is the experts' outputs averaged with the gate's weights:
//
//     y(x) = sum over experts e of  g_e(x) * E_e(x)
//
// where E_e(x) is what expert e says about input x and g_e(x) is the weight the gate gives it. The
// gate's weights are positive and sum to 1 for every input, so y(x) is a weighted average of the
// experts' answers. When the gate learns to put almost all the weight on one expert in one part of
// the input space and on another expert elsewhere, each expert only has to be good at its own part:
// the problem is divided, and the experts specialize.
//
// This page builds the whole thing once, checks that the pieces fit, and then trains a small mixture
// to show what the rest of the course is about. Every later chapter takes one piece of this page and
// looks at it closely.

// %%
import Datasets
import Lessons
import MoE
import Plotting

let chapter = Chapter(
  number: 1, title: "Introduction: the whole mixture in one page",
  abstract: "Builds a mixture of three experts with a softmax gate and checks its shapes, then trains a "
    + "small mixture on a 2-D problem with four regimes and draws which expert the gate picks where.",
  defaultSeed: 1, defaultEpochs: 60)
var generator = SeededGenerator(seed: chapter.seed)

// %% [markdown]
// ## Three experts and a gate
//
// Each expert is a small multilayer perceptron: a linear layer from the 10 input features to 20
// hidden units, a ReLU, and a linear layer to 5 outputs (10-20-5). The gate is a single linear layer
// from the 10 inputs to one score per expert, followed by a softmax that turns the three scores into
// three positive weights summing to 1:
//
//     g(x) = softmax(x W + b),   softmax(s)_e = exp(s_e) / sum_k exp(s_k)
//
// `MixtureOfExperts` holds the experts and the gate and computes y(x). Everything is drawn from the
// chapter's seeded generator, so the same seed builds the same networks.

// %%
let experts = FeedForwardExpert.make(
  count: 3, inputSize: 10, hiddenSize: 20, outputSize: 5, using: &generator)
let gate = try SoftmaxGate(inputSize: 10, expertCount: 3, using: &generator)
let mixture = MixtureOfExperts(experts: experts, gate: gate)

// %% [markdown]
// ## One batch through the mixture
//
// A batch of 64 random inputs goes in as a [64, 10] tensor (64 rows, one per input). The gate gives
// a row of 3 weights per input, so its output is [64, 3]; each expert maps the batch to [64, 5]; the
// mixture combines them into one [64, 5] answer, the same shape as a single expert's. From the
// outside, a mixture is a drop-in replacement for one network. `forward` also returns a *routing
// record*: what the gate decided for each input, which later chapters use for losses, statistics and
// figures.

// %%
let batch = Tensor.normal([64, 10], using: &generator)
let (output, routing) = mixture.forward(batch)

print("input:              \(batch.shape)")
print("gate probabilities: \(routing.probabilities.shape)")
for (index, expert) in experts.enumerated() {
  print("expert \(index + 1) output:    \(expert(batch).shape)")
}
print("mixture output:     \(output.shape)")

// %% [markdown]
// The softmax makes each row of gate weights a probability distribution. The check below adds up each
// row and prints the largest distance from 1 over the 64 rows. (It prints 0.000000: at six decimals
// the rounding error of 32-bit floats does not show.)

// %%
let rowSums = routing.probabilities.sum(axis: 1)
let largestGap = (rowSums - 1).abs().max().item
print("largest |sum of a row of gate probabilities - 1|: \(format(largestGap, decimals: 6))")
chapter.report("largest gate row-sum gap", largestGap, decimals: 6)
let averageWeights = routing.probabilities.mean(axis: 0).scalars
print(
  "average gate probability of each expert over the batch: "
    + averageWeights.map { format($0, decimals: 3) }.joined(separator: ", "))

// %% [markdown]
// The gate has not learned anything yet: its random weights lean towards one expert or another from
// input to input, but averaged over the batch no expert gets most of the weight.
//
// Now the formula itself: the cell computes sum_e g_e(x) E_e(x) by hand, one expert at a time
// (column e of the gate probabilities times expert e's output), and compares it with what the mixture
// returned.

// %%
var combined = Tensor.zeros([64, 5])
for (index, expert) in experts.enumerated() {
  let weight = routing.probabilities.slice(axis: 1, index..<(index + 1))  // [64, 1], g_e(x) per row
  combined = combined + weight * expert(batch)  // broadcast over the 5 outputs
}
let formulaGap = (combined - output).abs().max().item
print("largest |mixture output - sum_e g_e(x) E_e(x)|: \(format(formulaGap, decimals: 6))")
chapter.report("largest mixture formula gap", formulaGap, decimals: 6)

// %% [markdown]
// They agree: the mixture is exactly the formula at the top of the page. Its size is the experts' sizes
// plus the gate's. One expert has 10 * 20 + 20 weights and biases in its first layer and 20 * 5 + 5 in
// its second, 325 in all; the gate has 10 * 3 + 3 = 33.

// %%
print(
  "parameters: one expert \(experts[0].parameterCount), gate \(gate.parameterCount), "
    + "mixture \(mixture.parameterCount) (= 3 * \(experts[0].parameterCount) + \(gate.parameterCount))")

// %% [markdown]
// ## A mixture that learns: four regimes in the plane
//
// The random mixture above computes something, but nothing useful. To see what a trained mixture does,
// take inputs (x1, x2) in the square [-1, 1]^2 and a target that follows a different rule in each
// quadrant:
//
//     Q1 (x1 >= 0, x2 >= 0):  y = x1 + x2         Q2 (x1 < 0, x2 >= 0):  y = sin(2 pi x1)
//     Q3 (x1 < 0,  x2 < 0):   y = x1 x2           Q4 (x1 >= 0, x2 < 0):  y = -1
//
// One network could learn all four rules, but a mixture has a simpler option: give each quadrant to
// its own expert. The mixture below has four experts (2-16-1 MLPs) and a softmax gate from the two
// inputs to four scores. It trains with Adam on the mean squared error (MSE), on mini-batches of 32 of
// the training points; a fifth of the points is held out for validation. Chapter 5 takes this training
// loop apart.

// %%
let data = SyntheticData.quadrants(count: chapter.quick ? 800 : 2000, using: &generator)
let (training, validation) = data.split(trainingFraction: 0.8)

let planeExperts = FeedForwardExpert.make(
  count: 4, inputSize: 2, hiddenSize: 16, outputSize: 1, using: &generator)
let planeGate = try SoftmaxGate(inputSize: 2, expertCount: 4, using: &generator)
let planeMixture = MixtureOfExperts(experts: planeExperts, gate: planeGate)
let optimizer = Adam(parameters: planeMixture.parameters, learningRate: 0.01)
print("training points: \(training.count), validation points: \(validation.count)")

// %%
/// The mean squared error of `model` on `data`, without recording gradients.
func meanError(_ model: MixtureOfExperts, on data: RegressionData) -> Float {
  withoutGradients { meanSquaredError(model(data.inputs), data.targets).item }
}

let epochs = chapter.epochs(quick: 8)
var trainingLosses: [Float] = []
var validationLosses: [Float] = []
for step in chapter.progress(1...epochs, every: 10) {
  var total: Float = 0
  let batches = training.batches(size: 32, using: &generator)
  for batch in batches {
    optimizer.zeroGrad()
    let loss = meanSquaredError(planeMixture(batch.inputs), batch.targets)
    loss.backward()
    optimizer.step()
    total += loss.item
  }
  trainingLosses.append(total / Float(batches.count))
  validationLosses.append(meanError(planeMixture, on: validation))
  step.log(
    "epoch \(step.epoch): training MSE \(format(trainingLosses.last!, decimals: 4)), "
      + "validation MSE \(format(validationLosses.last!, decimals: 4))")
}
print("optimizer steps: \(optimizer.stepCount)")

// %% [markdown]
// ## Where each expert works
//
// The gate is a function of the input, so it can be drawn: evaluate it on a fine grid over the square
// and colour each point by the expert with the largest weight (the gate's *arg-max*). The colour is
// paler where the gate is less sure (its largest weight closer to 1/4). On top are 200 validation
// points, with one marker shape per quadrant rule. Look for two things: whether the coloured regions
// line up with the quadrants, and how sharp the borders between them are. The second figure is the
// loss curve on a log scale: training MSE (the average over each epoch's mini-batches) and validation
// MSE (measured after each epoch).

// %%
let side = chapter.quick ? 60 : 200
let cells = RegionMap.cellCenters(width: side, height: side, xRange: -1...1, yRange: -1...1)
let cellInputs = Tensor(shape: [side * side, 2], scalars: zip(cells.x, cells.y).flatMap { [$0, $1] })
let cellProbabilities = withoutGradients { planeGate.route(cellInputs).probabilities }
let winners = cellProbabilities.argmax(axis: 1)

var map = RegionMap(
  title: "Which expert the gate picks (after \(counted(epochs, "epoch")))", labels: winners, width: side,
  height: side, xRange: -1...1, yRange: -1...1, confidence: cellProbabilities.max(axis: 1).scalars)
let regimeNames = ["x1 + x2", "sin(2 pi x1)", "x1 x2", "-1"]
let shown = validation.rows(0..<min(200, validation.count)).inputs.scalars
let shownX = stride(from: 0, to: shown.count, by: 2).map { shown[$0] }
let shownY = stride(from: 1, to: shown.count, by: 2).map { shown[$0] }
map.addPoints(
  x: shownX, y: shownY, categories: zip(shownX, shownY).map { SyntheticData.quadrant($0, $1) },
  categoryNames: regimeNames, label: "data (quadrant rule)")
chapter.saveFigure(map, name: "regions")

var lossPlot = LinePlot(
  title: "Training the 2-D mixture", xLabel: "epoch", yLabel: "MSE (log scale)", yScale: .logarithmic)
lossPlot.add(series: "training", x: Array(1...trainingLosses.count), y: trainingLosses, color: Palette.color(0))
lossPlot.add(series: "validation", x: Array(1...validationLosses.count), y: validationLosses, color: Palette.color(1), style: .dashed)
chapter.saveFigure(lossPlot, name: "loss")

// %% [markdown]
// The map can be read as numbers too: the share of the square each expert wins, and, for each
// quadrant, the expert that wins most of it and how much of it that expert holds. The last two lines
// put the final validation MSE next to the MSE of the laziest possible model, one that always answers
// the mean target of the training set.

// %%
let planeShares = shares(of: winners.reduce(into: [Int](repeating: 0, count: 4)) { $0[$1] += 1 })
for (expert, share) in planeShares.enumerated() {
  print("expert \(expert + 1) wins \(formatPercent(share)) of the square")
}
// counts[q][e]: grid cells of quadrant q that expert e wins.
var counts = [[Int]](repeating: [Int](repeating: 0, count: 4), count: 4)
for (cell, winner) in winners.enumerated() {
  counts[SyntheticData.quadrant(cells.x[cell], cells.y[cell])][winner] += 1
}
var rows: [[String]] = []
for quadrant in 0..<4 {
  let main = counts[quadrant].indices.max { counts[quadrant][$0] < counts[quadrant][$1] }!
  let share = shares(of: counts[quadrant])[main]
  rows.append(["Q\(quadrant + 1)", regimeNames[quadrant], "expert \(main + 1)", formatPercent(share)])
}
printTable(header: ["quadrant", "rule", "main expert", "share of the quadrant"], rows: rows)

let meanTarget = training.targets.mean().item
let baseline = (validation.targets - meanTarget).squared().mean().item
print("validation MSE, always predicting the mean target: \(format(baseline, decimals: 4))")
print("validation MSE, trained mixture:                   \(format(validationLosses.last!, decimals: 4))")
chapter.report("validation MSE of the mean predictor", baseline, decimals: 4)
chapter.report("validation MSE of the mixture", validationLosses.last!, decimals: 4)

// %% [markdown]
// Nobody told the gate where the quadrants are; it only ever saw the error of the combined answer.
// Still, in the table each quadrant has a different main expert, and that expert holds more than half
// of its quadrant. The borders in the figure are not exactly the axes: the gate is linear in (x1, x2),
// so its regions are bounded by straight lines, and it has only had a few thousand small steps to place
// them. The mixture's final validation MSE is more than twenty times lower than the mean predictor's.
//
// ## Summary
//
// - A mixture of experts computes y(x) = sum_e g_e(x) E_e(x): several experts, weighted per input by a
//   gate whose weights are positive and sum to 1.
// - From the outside it has the shape of a single network: [64, 10] in, [64, 5] out here, with a
//   [64, 3] table of gate weights beside it.
// - Trained only on the error of its combined output, the gate divided the square among the experts,
//   roughly along the quadrants where the target changes its rule.
//
// The course takes these pieces one at a time: the experts (chapter 2), the gate and its temperature
// (chapter 3), how the two combine (chapter 4), the training loop and a comparison with a single
// network of the same size (chapter 5), and the expert regions and how to measure specialization
// (chapter 6). Later chapters make the gate sparse, so only a few experts run per input (chapter 8),
// and use experts on text and images.
//
// ## Exercises
//
// Exercises 5, 6 and 7 check themselves. Write your answers in `Exercises.swift`, beside this lesson (a
// stub per exercise, whose comment restates the task), and run `make check-1`: it prints one line per
// exercise, `passed`, `not yet` with the input it tried and the value it expected, or `not done yet`.
// The other exercises are for thinking and trying; the [teachers' page](../TEACHERS.md) discusses all
// of them.
//
// 1. Change the hand-made combination so that it uses `routing.probabilities` with its columns in
//    another order (for example expert 1's weight on expert 2's output). How large does the printed
//    gap to the mixture's output become?
// 2. Train the 2-D mixture with 2 experts instead of 4 (`count: 2` and `expertCount: 2`). Which
//    quadrants end up sharing an expert, and what happens to the final validation MSE? (Exercise 7
//    checks the number.)
// 3. Run the chapter with `--seed 2` and `--seed 3`. Do the experts get the same quadrants? Does each
//    quadrant still have one main expert? What changes and what stays?
// 4. Replace the quadrant data by a target with a single rule everywhere, for example y = x1 + x2 on
//    the whole square. What does the region map look like when there is nothing to divide?
// 5. *(checked)* Write the combination yourself: from the gate's weights g_e(x_n) and the experts'
//    outputs E_e(x_n), return y_n = sum_e g_e(x_n) E_e(x_n) for every input (`combine`). The checker
//    compares it with what `MixtureOfExperts` returns for random mixtures.
// 6. *(checked)* Count the parameters of a mixture of E experts with one hidden layer and a softmax
//    gate, for any sizes (`mixtureParameterCount`). The checker builds the mixtures and counts.
// 7. *(checked)* Exercise 2 with a number: with two experts in the 2-D mixture, run
//    `make chapter-1 ARGS="--quick"` and report the last validation MSE (`twoExpertValidationMSE`).
//    The checker reruns the same experiment.
