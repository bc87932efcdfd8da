// %% [markdown]
// # 3. The gating network
//
// Chapter 2 ended with three experts, each right on its own third of the interval and wrong elsewhere,
// and a question: who decides, for a given input, whose answer counts? In a mixture of experts that is
// the job of the *gating network*, or gate. It looks at the input and returns one weight per expert:
//
//     s(x) = x W + b                      one score per expert (a linear layer)
//     g(x) = softmax(s(x) / T)            g_e(x) = exp(s_e(x) / T) / sum_k exp(s_k(x) / T)
//
// The softmax turns any scores into weights that are positive and sum to 1, a probability
// distribution over the experts. The temperature T > 0 divides the scores before the softmax: it does
// not change which expert has the highest score, only how strongly the gate prefers it. This chapter
// checks the first claim, draws the gate over a 1-D input, and measures what temperature does.

// %%
import Datasets
import Foundation  // sin
import Lessons
import MoE
import Plotting

let chapter = Chapter(
  number: 3, title: "The gating network",
  abstract: "A softmax gate over a 1-D input: its weights sum to 1, and the temperature sharpens or "
    + "flattens them without changing which expert wins.",
  drawsRandomNumbers: false)
// The gate's weights are set by hand below; the generator only fills them first.
var generator = SeededGenerator(seed: 3)

// %% [markdown]
// ## A gate for three experts on [-1, 1]
//
// `SoftmaxGate(inputSize: 1, expertCount: 3)` is the gate of a mixture with a 1-D input and three
// experts. Its parameters are a weight matrix with one row per expert and a bias per expert, drawn at
// random like any layer's. A trained gate learns them (chapter 4); to see clearly what each number
// does, we set them by hand so that the gate reproduces the regimes of chapter 2:
//
//     s_1(x) = -6 x - 2      large for x < -1/3  (the line's expert)
//     s_2(x) =  0            the middle expert's score stays 0
//     s_3(x) =  6 x - 2      large for x > 1/3   (the parabola's expert)
//
// s_1 and s_2 are equal at x = -1/3, and s_2 and s_3 at x = 1/3: those are the points where the
// gate's favourite changes.

// %%
let gate = try SoftmaxGate(inputSize: 1, expertCount: 3, using: &generator)
print("weight \(gate.weight.shape), bias \(gate.bias.shape), \(gate.parameterCount) parameters")
gate.weight.assign(Tensor(shape: [3, 1], scalars: [-6, 0, 6]))
gate.bias.assign(Tensor([-2, 0, -2]))

// %% [markdown]
// A few inputs through the gate at temperature 1: the scores, and the weights the softmax makes of
// them. The expert with the highest score gets the largest weight, but never all of it.

// %%
let probes = Tensor(shape: [5, 1], scalars: [-0.8, -1.0 / 3, 0, 0.2, 0.8])
let decision = gate.route(probes)
var probeRows: [[String]] = []
for row in 0..<5 {
  let scores: [Float] = (0..<3).map { decision.logits.scalars[3 * row + $0] }
  let weights: [Float] = (0..<3).map { decision.probabilities.scalars[3 * row + $0] }
  let x: String = format(probes.scalars[row], decimals: 3)
  probeRows.append([x] + scores.map { format($0, decimals: 2) } + weights.map { format($0, decimals: 3) })
}
printTable(header: ["x", "s_1", "s_2", "s_3", "g_1", "g_2", "g_3"], rows: probeRows)

// %% [markdown]
// ## The weights sum to 1
//
// Now over a fine grid of inputs. The check adds up each row of gate weights and prints the largest
// distance from 1: the sum is 1 up to the rounding of single-precision floats (`2^-23`). It also checks that
// every weight is positive: exp is never 0, so every expert keeps some say everywhere.

// %%
let grid = SyntheticData.grid(from: -1, to: 1, count: chapter.quick ? 201 : 2001)
let probabilities = gate.route(grid).probabilities
let largestGap = (probabilities.sum(axis: 1) - 1).abs().max().item
print("grid points: \(grid.shape[0])")
print("largest |g_1 + g_2 + g_3 - 1| over the grid: \(format(largestGap, decimals: 7))")
print("every weight positive: \(probabilities.min().item > 0)")
chapter.report("largest gate row-sum gap", largestGap, decimals: 7)
chapter.report("every weight positive", probabilities.min().item > 0)

// %% [markdown]
// ## Temperature
//
// Dividing the scores by T before the softmax is like looking at them through a zoom. With T < 1,
// score differences grow, and the softmax puts nearly all the weight on the best expert; as T -> 0
// it becomes a hard choice (the arg-max, weight 1 for the winner, 0 for the others). With T > 1,
// differences shrink, and as T grows the weights approach the uniform 1/3. What T cannot change is the
// order of the scores: dividing by a positive number keeps the largest score the largest, so the
// winning expert at each x stays the same.
//
// Two numbers measure how decisive a gate is. The *entropy* of its weights at one input,
//
//     H(x) = -sum_e g_e(x) log g_e(x)
//
// is 0 for a hard choice and `log 3 = 1.0986` (in nats) for uniform weights over three experts; we
// average it over the grid. The mean *largest weight* goes from 1/3 (uniform) to 1 (hard choice). The
// next column compares each temperature's winners (arg-max) with those at T = 1, and the last one
// counts weights below 1e-20 (out of 3 per grid point): weights so small that, for the purposes of
// training, they are zero.

// %%
/// The mean over rows of the entropy -sum_e p_e log p_e of each row of `probabilities`, in nats.
func meanEntropy(_ probabilities: Tensor) -> Float {
  let logs = probabilities.clamp(min: 1e-30).log()  // 0 log 0 counts as 0
  return (-(probabilities * logs).sum(axis: 1)).mean().item
}

let winnersAtOne = probabilities.argmax(axis: 1)
let temperatures: [Float] = [0.05, 0.25, 1, 4, 20]
var rows: [[String]] = []
var gateAt: [Float: Tensor] = [:]
for temperature in temperatures {
  gate.temperature = temperature
  let weights = gate.route(grid).probabilities
  gateAt[temperature] = weights
  let same = zip(weights.argmax(axis: 1), winnersAtOne).filter { $0 == $1 }.count
  rows.append([
    format(temperature, decimals: 2), format(meanEntropy(weights), decimals: 4),
    format(weights.max(axis: 1).mean().item, decimals: 4), "\(same) of \(grid.shape[0])",
    "\(weights.scalars.filter { $0 < 1e-20 }.count)",
  ])
}
gate.temperature = 1
printTable(
  header: ["T", "mean entropy (nats)", "mean largest weight", "same winner as at T = 1", "weights < 1e-20"], rows: rows)

// %% [markdown]
// Read the table from top to bottom: as T grows, the mean entropy rises towards `log 3 = 1.0986` and the
// mean largest weight falls towards 1/3, while the winner is the same as at T = 1 at every one of the
// grid points, for every temperature. The last column is a warning about very low temperatures: at
// T = 0.05, 2466 of the weights (three per grid point) are below 1e-20 (82 already at T = 0.25), and a weight that
// small passes no useful gradient to its expert: the gate has stopped learning there (chapter 8 uses
// hard zeros on purpose, in sparse gates).
//
// The figure draws g_1, g_2 and g_3 over x at T = 0.25, 1 and 4, one panel each, in the experts'
// colours. Look at the borders at x = -1/3 and 1/3: the curves of two neighbouring experts cross there
// at every temperature (the scores are equal there, whatever T is), but at T = 0.25 the handover is
// nearly a step, while at T = 4 the weights change slowly and the favourite's weight averages only
// about one half (the mean largest weight in the table).

// %%
var panels: [any Chart] = []
for temperature: Float in [0.25, 1, 4] {
  var plot = LinePlot(title: "T = \(format(temperature, decimals: 2))", xLabel: "x", yLabel: "gate weight g_e(x)")
  plot.yRange = 0...1
  let weights = gateAt[temperature]!
  for expert in 0..<3 {
    let column = weights.slice(axis: 1, expert..<(expert + 1)).scalars
    plot.add(series: "expert \(expert + 1)", x: grid.scalars, y: column, color: Palette.color(expert))
  }
  panels.append(plot)
}
chapter.saveFigure(
  FigureGrid(rows: 3, columns: 1, title: "Gate weights at three temperatures", panels: panels, sharedLegend: true),
  name: "temperatures")

// %% [markdown]
// ## What the temperature does to a mixture
//
// To see why it matters, give this gate three perfect experts: the exact rules of chapter 2's regimes,
// E_1(x) = -2x - 1.5, E_2(x) = 0.8 sin(3 pi x) and E_3(x) = 3 (x - 2/3)^2 - 0.2. The mixture
// y(x) = sum_e g_e(x) E_e(x) can then only be wrong because of the gate, so its error against the
// piecewise target measures the gate alone.

// %%
/// The exact rule of regime `expert` of chapter 2's target, used as a perfect expert everywhere.
func perfectExpert(_ expert: Int, _ x: Float) -> Float {
  switch expert {
  case 0: return -2 * x - 1.5
  case 1: return 0.8 * sin(3 * .pi * x)
  default: return 3 * (x - 2.0 / 3) * (x - 2.0 / 3) - 0.2
  }
}

let inputs = grid.scalars
let expertOutputs = Tensor(
  shape: [inputs.count, 3], scalars: inputs.flatMap { x in (0..<3).map { perfectExpert($0, x) } })
let target = Tensor(shape: [inputs.count, 1], scalars: inputs.map(SyntheticData.piecewiseTarget))
for temperature in temperatures {
  let mixture = (gateAt[temperature]! * expertOutputs).sum(axis: 1, keepDimensions: true)
  let error = meanSquaredError(mixture, target).item
  print("T = \(format(temperature, decimals: 2)): MSE of the gated perfect experts \(format(error, decimals: 4))")
}

// %% [markdown]
// With the same perfect experts, the error grows steadily with the temperature. At low T the mixture is
// almost exactly the piecewise target: each expert answers on its own third, and only the few inputs
// near a border get a blend. At high T every input gets a blend of all three rules, which is wrong
// everywhere. For a target that switches abruptly, as this one does, a decisive gate is what we want.
// A trained gate finds its own sharpness: multiplying W and b by a number has the same effect as
// dividing T by it (exercise 3), and training can grow or shrink them (chapter 4).
//
// ## Summary
//
// - The gate is a small network whose outputs, after a softmax, are one weight per expert:
//   g(x) = softmax((x W + b) / T). The weights are positive and sum to 1 (up to the rounding of
//   single-precision floats over the whole grid).
// - Where two scores are equal, two experts share the weight; the arg-max of the scores splits the
//   input space into regions, one per expert.
// - The temperature T sharpens (T < 1) or flattens (T > 1) the weights without changing which expert
//   wins: the entropy rose from near 0 to near log 3 while the winners stayed the same at every point.
// - How sharp the gate should be depends on the target: with perfect experts on a target with abrupt
//   regimes, the mixture's error fell as the gate got sharper.
//
// ## Exercises
//
// Exercises 1, 5, 6, 7 and 8 check themselves. Write your answers in `Exercises.swift`, beside this
// lesson (a stub per exercise, whose comment restates the task), and run `make check-3`: it prints
// one line per exercise, `passed`, `not yet` with the input it tried and the value it expected, or
// `not done yet`. The other exercises are for thinking and trying; the
// [teachers' page](../TEACHERS.md) discusses all of them.
//
// 1. *(checked)* Change the bias of the middle expert from 0 to 1
//    (`gate.bias.assign(Tensor([-2, 1, -2]))`). Where are the borders now? Work them out from the
//    scores first, then read them off the printed table or the figure, and report them (`borders`).
// 2. Replace the hand-set weights by the gate's random initial ones (delete the two `assign` lines).
//    How many experts win somewhere on [-1, 1]? Can a gate with a 1-D input and linear scores ever
//    give the same expert two separate intervals? (Hint: where can two straight lines cross?)
// 3. Multiply both W and b by 4 and set T = 4. Compare the gate's weights with those at the original
//    W, b and T = 1. Why is the temperature redundant for a gate whose weights are trained?
// 4. The perfect experts' error kept falling as T went down. Compute the gradient of that error with
//    respect to the gate's weight at T = 0.05 and T = 1 (turn the mixture error into a loss and call
//    `backward()`, then read `gate.weight.grad`). What does a nearly hard gate mean for learning where
//    the borders should be?
// 5. *(checked)* Write the softmax gate with a temperature from its formula, for any scores and T
//    (`softmaxWeights`). It must survive scores like `1000` and `1001`, where exp overflows.
// 6. *(checked)* Write the weights of a top-k gate (Shazeer et al. 2017, without noise): a softmax
//    over each row's k largest logits, 0 for the other experts (`topKWeights`). Ties go to the lower
//    index; with k = E it is the dense softmax.
// 7. *(checked)* Work out by hand the entropy, in nats, of a gate that gives each of 8 experts the
//    same weight (`uniformEntropy`). Compare with the `log 3` of this chapter's table.
// 8. *(checked)* Add `2` to `temperatures` and rerun the chapter. Report the mean entropy at T = 2
//    (`meanEntropyAtTemperatureTwo`); the checker recomputes it.
