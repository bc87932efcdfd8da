// %% [markdown]
// # 13. Regularization
//
// The slide's claim: regularization keeps a mixture of experts from overfitting and makes sure that
// all its experts are used. Its code adds one term to the loss, an L1 penalty on every parameter:
//
//     L = MSE(y, t) + lambda * sum over parameters p of sum_j |p_j|        (lambda = 0.01)
//
// The two halves of the claim need different tools. An L1 penalty acts on weights: it pulls every
// weight toward zero with the same force, whatever its size, so weights that the data does not hold
// up end at (or near) zero. That is about overfitting. It does nothing for the use of the experts: the
// gate's imbalance of chapter 8 comes from the routing, and the terms that fix it look at the routing.
// This chapter first runs the slide's model (its forward pass has a broadcasting bug), measures what
// L1 does to the weights and to the error of a dense regression mixture, and then compares the terms
// that act on a sparse mixture's routing: Switch's load-balancing loss, Shazeer's cv^2 losses, the
// router z-loss of ST-MoE, the gate entropy, and the auxiliary-loss-free bias of DeepSeek-V3, over
// several seeds on the digits.

// %%
import Datasets
import Lessons
import MoE
import Plotting
import Training

let chapter = Chapter(
  number: 13, title: "Regularization",
  abstract: """
    The slide's RegularizedMoME adds an L1 penalty over every parameter. Its broadcast, which fails \
    for most batch sizes; the penalty's effect on the weights (magnitude histogram, share near zero) \
    and on the error of a dense regression mixture. Then the terms that keep a sparse mixture's \
    experts in use: Switch's load-balancing loss, Shazeer's importance and load cv^2, the router \
    z-loss, the gate entropy and the auxiliary-loss-free bias of DeepSeek-V3, over three seeds on the \
    digits: effective experts, dead experts, max/mean load, largest logit, test error.
    """,
  defaultSeed: 0, defaultEpochs: 30)

// %% [markdown]
// ## The slide's model, in Swift
//
// The slide's forward pass and penalty:
//
//     expert_outputs = torch.stack([expert(x) for expert in self.experts])       # [E, B, out]
//     gating_weights = torch.softmax(self.gating_network(x), dim=1)              # [B, E]
//     output = torch.sum(expert_outputs * gating_weights.unsqueeze(2), dim=0)
//
//     l1_loss = sum(param.abs().sum() for param in self.parameters())
//     return self.l1_strength * l1_loss
//
// The product multiplies `[E, B, out]` by `[B, E, 1]`. Broadcasting aligns the trailing axes, so the
// experts' axis E meets the batch's axis B, and B meets E. The cell runs the slide's three experts
// 10-20-5 with its softmax gate on batches of 1, 3 and 32 inputs, computes the slide's product where
// PyTorch would, and compares it with the mixture y_b = sum_e g_e(x_b) E_e(x_b) of the library's
// `MixtureOfExperts`.

// %%
/// Largest absolute difference between two equal-length lists.
func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
  zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

var slideGenerator = SeededGenerator(seed: chapter.seed)
let slideExperts = FeedForwardExpert.make(
  count: 3, inputSize: 10, hiddenSize: 20, outputSize: 5, using: &slideGenerator)
let slideGate = try SoftmaxGate(inputSize: 10, expertCount: 3, using: &slideGenerator)
let slideMixture = MixtureOfExperts(experts: slideExperts, gate: slideGate)

var shapeRows: [[String]] = []
var slideErrorForThree: Float = .nan
for batch in [1, 3, 32] {
  let x = Tensor.normal([batch, 10], using: &slideGenerator)
  let expertOutputs = withoutGradients { Tensor.stack(slideExperts.map { $0(x) }) }  // torch.stack(...)
  let gatingWeights = withoutGradients { slideGate.route(x).probabilities }  // torch.softmax(..., dim=1)
  let weights = gatingWeights.reshaped([batch, 3, 1])  // gating_weights.unsqueeze(2)
  let (productShape, error) = broadcastedShape(expertOutputs.shape, weights.shape)
  var outcome = "error: \(error ?? "")"
  if let productShape {
    let output = withoutGradients { (expertOutputs * weights).sum(axis: 0) }  // torch.sum(..., dim=0)
    let mixture = withoutGradients { slideMixture(x) }
    outcome = "\(productShape), output \(output.shape)"
    if output.shape == mixture.shape {
      slideErrorForThree = maximumDifference(output.scalars, mixture.scalars)
      outcome += ", max |output - y| = \(format(slideErrorForThree, decimals: 4))"
    } else {
      outcome += ", y is \(mixture.shape)"
    }
  }
  shapeRows.append(["\(batch)", "\(expertOutputs.shape)", "\(weights.shape)", outcome])
}
printTable(header: ["B", "expert_outputs", "gating_weights.unsqueeze(2)", "product"], rows: shapeRows)
chapter.report("slide error for a batch of three", slideErrorForThree, decimals: 4)

// %% [markdown]
// Only B = 1 and B = E = 3 run, and neither gives the mixture. With one input the output is `[3,
// 5]` instead of `[1, 5]`: row e is g_e(x) times the sum of the three experts' outputs. With three
// inputs the shapes happen to agree and the code quietly computes y_j = sum_i g_j(x_i) E_i(x_j):
// expert i's output for input j is weighted by input i's weight for expert j instead of g_i(x_j),
// the transposed weights, off by 0.3768. Every other batch size stops with the error in the last
// row, so the slide's training loop fails on its first batch of a `DataLoader` of any usual batch
// size. The fix is to put the weights in the outputs' layout, `gating_weights.t().unsqueeze(2)`
// (`[E, B, 1]`); `MixtureOfExperts` computes exactly that, and the rest of the chapter uses it.
//
// ## L1 on every parameter: what it does to the weights
//
// The regression task is built so that L1 has something to find: 10 inputs x drawn from N(0, 1), of
// which only the first three matter, and 5 outputs,
//
//     t = (x1 + x2,  x2 x3,  max(x1, 0) - x3,  x1^2 - 1,  x3 - x2 / 2)
//
// with noise of standard deviation 0.1 on the 200 training targets (the test set, 2000 inputs, has
// none). The model is the slide's: 3 experts 10-20-5 and a softmax gate, 1008 parameters, trained
// with Adam (learning rate 3e-3) on the MSE plus lambda times `l1Penalty(mixture)`, which sums |p| over
// every parameter as the slide does. Four strengths: none, `1e-4`, `1e-3` and the slide's `0.01`.
// The table gives the errors, the share of parameters below two thresholds, the mean magnitude of the
// first-layer weights that read the three useful inputs and of those that read the seven useless ones,
// and the penalty's share of the loss on the last batch.

// %%
/// The regression target: only x1, x2 and x3 of the 10 inputs matter.
func sparseTarget(_ x: Tensor) -> Tensor {
  let rows = x.shape[0]
  var targets = [Float](repeating: 0, count: rows * 5)
  let s = x.scalars
  for row in 0..<rows {
    let (x1, x2, x3) = (s[row * 10], s[row * 10 + 1], s[row * 10 + 2])
    targets[row * 5 + 0] = x1 + x2
    targets[row * 5 + 1] = x2 * x3
    targets[row * 5 + 2] = max(x1, 0) - x3
    targets[row * 5 + 3] = x1 * x1 - 1
    targets[row * 5 + 4] = x3 - 0.5 * x2
  }
  return Tensor(shape: [rows, 5], scalars: targets)
}

var regressionGenerator = SeededGenerator(seed: chapter.seed &+ 13)
let trainingInputs = Tensor.normal([200, 10], using: &regressionGenerator)
let trainingNoise = Tensor.normal([200, 5], using: &regressionGenerator) * 0.1
let regressionTraining = RegressionData(inputs: trainingInputs, targets: sparseTarget(trainingInputs) + trainingNoise)
let testInputs = Tensor.normal([2000, 10], using: &regressionGenerator)
let regressionTest = RegressionData(inputs: testInputs, targets: sparseTarget(testInputs))
let regressionEpochs = chapter.quick ? 20 : 300

/// What one regression run ends with.
struct RegressionResult {
  let strength: Float
  let trainingError: Double
  let testError: Double
  /// |p| of every parameter, in `parameters` order.
  let magnitudes: [Float]
  let exactZeros: Int
  /// Mean |W1| over the first-layer weights of x1..x3, and of x4..x10.
  let usefulInputWeight: Double
  let uselessInputWeight: Double
  let penaltyShare: Double

  func share(below threshold: Float) -> Double {
    Double(magnitudes.filter { $0 < threshold }.count) / Double(magnitudes.count)
  }
}

/// The slide's mixture from `seed`, trained for `regressionEpochs` on MSE + strength * L1.
func trainRegression(
  strength: Float, seed: UInt64, training: RegressionData, test: RegressionData
) throws -> RegressionResult {
  var generator = SeededGenerator(seed: seed)
  let experts = FeedForwardExpert.make(count: 3, inputSize: 10, hiddenSize: 20, outputSize: 5, using: &generator)
  let gate = try SoftmaxGate(inputSize: 10, expertCount: 3, using: &generator)
  let mixture = MixtureOfExperts(experts: experts, gate: gate)
  let optimizer = Adam(parameters: mixture.parameters, learningRate: 3e-3)
  var batchOrder = SeededGenerator(seed: seed &+ 1000)
  var penaltyShare = 0.0
  try fit(
    model: mixture, optimizer: optimizer, epochs: regressionEpochs,
    batches: { _ in training.batches(size: 32, using: &batchOrder) },
    forward: { batch in mixture.forward(batch.inputs) },
    loss: { batch, output, _ in
      let error = meanSquaredError(output, batch.targets)
      guard strength > 0 else { return error }
      let penalty = strength * l1Penalty(mixture)
      penaltyShare = Double(penalty.item / (penalty.item + error.item))
      return error + penalty
    })
  var useful = 0.0
  var useless = 0.0
  for expert in experts {
    let weight = expert.hidden.weight.scalars  // [20, 10]: row h reads the 10 inputs
    for (index, value) in weight.enumerated() {
      if index % 10 < 3 { useful += Double(abs(value)) } else { useless += Double(abs(value)) }
    }
  }
  let magnitudes = mixture.parameters.flatMap { $0.scalars.map { abs($0) } }
  return RegressionResult(
    strength: strength,
    trainingError: Double(withoutGradients { meanSquaredError(mixture(training.inputs), training.targets).item }),
    testError: Double(withoutGradients { meanSquaredError(mixture(test.inputs), test.targets).item }),
    magnitudes: magnitudes, exactZeros: magnitudes.filter { $0 == 0 }.count,
    usefulInputWeight: useful / Double(3 * 20 * 3), uselessInputWeight: useless / Double(3 * 20 * 7),
    penaltyShare: penaltyShare)
}

let strengths: [Float] = [0, 1e-4, 1e-3, 1e-2]
var regressionResults: [RegressionResult] = []
for strength in strengths {
  regressionResults.append(
    try trainRegression(strength: strength, seed: chapter.seed, training: regressionTraining, test: regressionTest))
}
print("parameters: \(slideMixture.parameterCount); \(regressionEpochs) epochs of 200 training points")
printTable(
  header: [
    "lambda", "train MSE", "test MSE", "|p| < 0.001", "|p| < 0.01", "p = 0", "mean |W1| x1-x3", "mean |W1| x4-x10",
    "penalty share",
  ],
  rows: regressionResults.map { result in
    [
      format(result.strength, decimals: 4), format(result.trainingError, decimals: 4),
      format(result.testError, decimals: 4), formatPercent(result.share(below: 1e-3)),
      formatPercent(result.share(below: 1e-2)), String(result.exactZeros),
      format(result.usefulInputWeight, decimals: 4), format(result.uselessInputWeight, decimals: 4),
      formatPercent(result.penaltyShare),
    ]
  })
chapter.report("l1 strengths", strengths, decimals: 4)
chapter.report("l1 test mse", regressionResults.map(\.testError), decimals: 4)
chapter.report("l1 train mse", regressionResults.map(\.trainingError), decimals: 4)
chapter.report("l1 share below 0.001", regressionResults.map { $0.share(below: 1e-3) }, decimals: 3)
chapter.report("l1 exact zeros", regressionResults.map(\.exactZeros))
chapter.report("l1 useless input weight", regressionResults.map(\.uselessInputWeight), decimals: 4)
chapter.report("l1 useful input weight", regressionResults.map(\.usefulInputWeight), decimals: 4)
chapter.report("l1 penalty share", regressionResults.map(\.penaltyShare), decimals: 3)

// %% [markdown]
// Without L1 the mixture fits the 200 noisy training points to a training MSE of 0.0061, below the
// noise's variance (`0.1^2 = 0.01`): it has learned part of the noise, and reaches 0.0480 on the test
// set. Its first-layer weights on the seven useless inputs keep a mean magnitude of 0.1790 (0.4077 on
// the useful ones). L1 shrinks the useless weights first, because the data holds the useful ones up:
// at lambda = `1e-3` their mean is 0.0056 against 0.2349, the test MSE 0.0397 is the best of the
// four, and 52.1% of all parameters are below 0.001. The figure shows the whole distribution.
//
// The slide's lambda = 0.01 is too strong for this model. The penalty is 83.9% of the loss at the
// end, it shrinks the useful weights too (0.0900), and the mixture underfits: training MSE 0.1078,
// test MSE 0.0905, worse than without any penalty. The penalty is a sum over all 1008 parameters, so a
// strength means something only for one model size: the same 0.01 on a model ten times larger weighs
// ten times more against the same MSE. Even lambda = `1e-4` ends at 68.8% of the loss, because the
// MSE it is compared with is small.
//
// No parameter ends exactly at zero (the column p = 0 is 0 in every row). L1's gradient is
// lambda sign(p), and Adam divides each gradient by its running size, so a weight that L1 pulls to
// zero steps across it and back instead of stopping there. Exact zeros need a different update: the
// proximal step of the lasso, soft-thresholding after each step (exercise 7), or pruning below a
// threshold after training.

// %%
let binEdges: [Float] = [0, 1e-4, 1e-3, 1e-2, 1e-1]
/// The share of `magnitudes` in each bin [edge_i, edge_{i+1}), the last bin open above.
func binnedShares(_ magnitudes: [Float]) -> [Double] {
  var counts = [Int](repeating: 0, count: binEdges.count)
  for magnitude in magnitudes { counts[binEdges.lastIndex { magnitude >= $0 } ?? 0] += 1 }
  return counts.map { Double($0) / Double(magnitudes.count) }
}
var magnitudeChart = BarChart(
  title: "Parameter magnitudes after training, by L1 strength lambda",
  groups: ["< 1e-4", "1e-4 to 1e-3", "1e-3 to 0.01", "0.01 to 0.1", ">= 0.1"], xLabel: "|p|",
  yLabel: "share of the 1008 parameters")
for (index, result) in regressionResults.enumerated() {
  let name = result.strength == 0 ? "no L1" : "lambda = \(format(result.strength, decimals: 4))"
  magnitudeChart.add(series: name, values: binnedShares(result.magnitudes), color: Palette.color(index))
}
chapter.saveFigure(magnitudeChart, name: "weight-magnitudes")

// %% [markdown]
// ## Terms that act on the routing
//
// Chapter 8 showed the problem on the digits: a top-2 gate over 16 experts, left alone, sends most
// inputs to a few experts. Each term below is added to the task loss (times a weight w) or, for the
// last, replaces a loss by a rule. With a batch of N tokens, router logits z [N, E], probabilities
// p = softmax(z), and the chosen experts of each token:
//
// - **Switch load-balancing loss** (Fedus et al. 2021, eq. 4): L = E sum_i f_i P_i, with P_i the mean
//   of p_i over the batch and f_i the fraction of tokens sent to expert i (a count, no gradient; P
//   carries it). It is 1 when both are uniform. Switch routes each token to one expert, so f counts to
//   1. With top-k a library must choose: `loadBalancingLoss(routing)` counts each token's most
//   probable expert (f sums to 1), `counting: .chosenExperts` counts all N k chosen pairs and divides
//   by N k (f sums to 1 again, so the loss is still 1 at balance). Hugging Face's Mixtral loss divides
//   by N only: its f sums to k and its balanced value is k, so its weights are not Switch's.
// - **Importance and load cv^2** (Shazeer et al. 2017): cv^2(Importance) with Importance_i =
//   sum over the batch of the combine weight G_i(x), and cv^2(Load) of the noisy gate's smooth load
//   estimate; both with `NoisyTopKGate`, as in chapter 8. cv^2 = variance / (mean^2 + `1e-10`).
// - **Router z-loss** (Zoph et al. 2022, ST-MoE, eq. 5): L_z = mean over tokens of
//   (log sum_j exp z_j)^2. It keeps the logits small, for the sake of float rounding in the softmax,
//   not for balance; ST-MoE uses w = `0.001`.
// - **Gate entropy**: H = mean over tokens of -sum_e p_e log p_e. Added with w > 0 it makes each
//   token's choice decisive; with w < 0 it keeps choices soft. It measures single tokens, not the
//   batch's use of the experts.
// - **Auxiliary-loss-free balancing** (Wang et al. 2024; DeepSeek-V3, 2024; `BiasBalancedTopKGate`):
//   a bias b_e per expert is added to the scores only to choose the top k, never to weight the chosen
//   experts, and after every step b_e <- b_e + gamma sign(mean load - load_e). An overloaded expert
//   gets a little harder to choose, an idle one easier, and no term competes with the task's gradient.
//
// Why cv^2 is computed as variance / mean^2 and never as the square of std / mean: at perfect
// balance the standard deviation is 0, and the square root has no derivative there. The cell
// differentiates both at a balanced importance vector.

// %%
let balancedImportance = Tensor([2, 2, 2, 2], requiresGrad: true)
squaredCoefficientOfVariation(balancedImportance).backward()
let varianceGradient = balancedImportance.grad!.scalars
balancedImportance.zeroGrad()
let importanceMean = balancedImportance.mean()
let standardDeviation = (balancedImportance - importanceMean).squared().mean().sqrt()
(standardDeviation / importanceMean).squared().backward()
let squareRootGradient = balancedImportance.grad!.scalars
print("gradient of variance / mean^2 at [2, 2, 2, 2]: \(varianceGradient.map { format($0, decimals: 3) })")
print("gradient of (std / mean)^2 at [2, 2, 2, 2]:    \(squareRootGradient.map { format($0, decimals: 3) })")
chapter.report("cv squared gradient at balance is finite", varianceGradient.allSatisfy(\.isFinite))
chapter.report("square root gradient at balance is finite", squareRootGradient.allSatisfy(\.isFinite))

// %% [markdown]
// The first is 0, as it should be at a minimum; the second is NaN (0 times the infinite derivative of
// the square root at 0), and one NaN in a gradient spreads to every parameter at the next step.
//
// ## Six settings, three seeds
//
// The mixture is chapter 8's, a little smaller: 16 experts 64-16-10 and a top-2 gate on the digits
// (1346 training and 451 test images), Adam (learning rate 3e-3), mini-batches of 64, cross-entropy.
// Each seed sets the experts, the gate and the batch order; every setting starts from the same
// parameters for a given seed. The weights are the usual ones where a paper gives one (ST-MoE's
// `0.001` for the z-loss; `0.1` for the balancing losses, as in chapter 8), and gamma = `0.01` for
// the bias (DeepSeek-V3 uses `0.001` over far more steps than the 660 here). For each run, on the test
// set: the effective number of experts exp(H(u)), with u the share of the routed pairs each expert
// gets (16 when even, 1 when one expert takes all); the experts that get no test input; the busiest
// expert's load over the mean; the largest router logit; and the test error. Each cell lists the
// three seeds.

// %%
var dataGenerator = SeededGenerator(seed: chapter.seed)
let digits = try Digits.load()
let (training, _, test) = try digits.split(validation: 0, test: 0.25, using: &dataGenerator)
let mixtureExperts = 16
let hiddenSize = 16
let epochs = chapter.epochs(quick: 3)

/// A term (or rule) that acts on the routing, with its weight.
enum Regularizer {
  case none
  case switchLoss(Float)
  case importanceAndLoad(Float)
  case zLoss(Float)
  case entropy(Float)
  case selectionBias(gamma: Float)

  var name: String {
    switch self {
    case .none: return "none"
    case .switchLoss(let w): return "Switch loss, w = \(format(w, decimals: 1))"
    case .importanceAndLoad(let w): return "noisy + cv^2, w = \(format(w, decimals: 1))"
    case .zLoss(let w): return "z-loss, w = \(format(w, decimals: 3))"
    case .entropy(let w): return "entropy, w = \(format(w, decimals: 1))"
    case .selectionBias(let gamma): return "bias, gamma = \(format(gamma, decimals: 2))"
    }
  }
}

/// One run's routing and error on the test set (gate noise off).
struct SparseResult {
  let accuracy: Double
  let load: [Int]
  let largestLogit: Double
  let largestLogitByEpoch: [Double]
  /// The selection bias at the end (zeros for the other gates).
  let selectionBias: [Float]
  var utilization: [Double] { shares(of: load) }
  var effectiveExperts: Double { effectiveExpertCount(utilization) }
  var deadExperts: Int { load.filter { $0 == 0 }.count }
  var maximumToMeanLoad: Double {
    Double(load.max() ?? 0) * Double(load.count) / Double(max(load.reduce(0, +), 1))
  }
}

/// The largest logit the gate gives any test input.
func largestLogit(_ gate: any Router, _ inputs: Tensor) -> Double {
  withoutGradients { Double(gate.route(inputs).logits.max().item) }
}

/// 16 experts and a top-2 gate from `seed` (experts first, then the gate's scores, so every gate
/// starts from the same scores), trained with cross-entropy plus the regularizer's term.
func trainSparse(
  _ regularizer: Regularizer, seed: UInt64, training: LabelledDataset, test: LabelledDataset
) throws -> SparseResult {
  var generator = SeededGenerator(seed: seed)
  let experts = FeedForwardExpert.make(
    count: mixtureExperts, inputSize: 64, hiddenSize: hiddenSize, outputSize: 10, using: &generator)
  let gate: any Router
  var balancedGate: BiasBalancedTopKGate?
  switch regularizer {
  case .importanceAndLoad:
    gate = try NoisyTopKGate(inputSize: 64, expertCount: mixtureExperts, k: 2, seed: seed &+ 7, using: &generator)
  case .selectionBias(let gamma):
    balancedGate = try BiasBalancedTopKGate(
      inputSize: 64, expertCount: mixtureExperts, k: 2, updateRate: gamma, using: &generator)
    gate = balancedGate!
  default:
    gate = try TopKGate(inputSize: 64, expertCount: mixtureExperts, k: 2, using: &generator)
  }
  let mixture = MixtureOfExperts(experts: experts, gate: gate)
  let optimizer = Adam(parameters: mixture.parameters, learningRate: 3e-3)
  var batchOrder = SeededGenerator(seed: seed &+ 1000)
  var largestLogitByEpoch: [Double] = []
  try fit(
    model: mixture, optimizer: optimizer, epochs: epochs,
    batches: { _ in try training.batches(size: 64, using: &batchOrder) },
    forward: { batch in
      let (output, routing) = mixture.forward(batch.inputs)
      // The bias is not in the graph, so updating it now, before the optimizer's step, is the same
      // as after it: this batch's experts are already chosen.
      try balancedGate?.updateBias(from: routing)
      return (output, routing)
    },
    loss: { batch, output, routing in
      let task = crossEntropy(output, labels: batch.labels)
      switch regularizer {
      case .none, .selectionBias: return task
      case .switchLoss(let w): return task + w * loadBalancingLoss(routing!, counting: .chosenExperts)
      case .importanceAndLoad(let w): return task + w * importanceLoss(routing!) + w * (try loadLoss(routing!))
      case .zLoss(let w): return task + w * routerZLoss(routing!)
      case .entropy(let w): return task + w * gateEntropy(routing!)
      }
    },
    validate: { _ in
      largestLogitByEpoch.append(largestLogit(gate, test.inputs))
      return [:]
    })
  mixture.eval()
  let (output, routing) = withoutGradients { mixture.forward(test.inputs) }
  let correct = zip(output.argmax(axis: 1), test.labels).filter { $0.0 == $0.1 }.count
  return SparseResult(
    accuracy: Double(correct) / Double(test.count), load: routing.tokensPerExpert,
    largestLogit: largestLogit(gate, test.inputs), largestLogitByEpoch: largestLogitByEpoch,
    selectionBias: balancedGate?.selectionBias.value.scalars ?? [Float](repeating: 0, count: mixtureExperts))
}

let regularizers: [Regularizer] = [
  .none, .switchLoss(0.1), .importanceAndLoad(0.1), .zLoss(0.001), .entropy(0.1), .selectionBias(gamma: 0.01),
]
let seeds: [UInt64] = chapter.quick ? [chapter.seed] : [chapter.seed, chapter.seed + 1, chapter.seed + 2]
var sparseResults: [[SparseResult]] = []
for regularizer in regularizers {
  sparseResults.append(try seeds.map { try trainSparse(regularizer, seed: $0, training: training, test: test) })
}
/// One cell: the value of every seed, separated by spaces.
func perSeed(_ results: [SparseResult], _ value: (SparseResult) -> String) -> String {
  results.map(value).joined(separator: " ")
}
let stepsPerEpoch = (training.count + 63) / 64
print(
  "digits: \(training.count) training and \(test.count) test images; \(epochs) epochs of \(stepsPerEpoch) "
    + "batches, \(epochs * stepsPerEpoch) steps; seeds \(seeds.map(String.init).joined(separator: ", "))")
printTable(
  header: ["regularizer", "effective experts", "dead experts", "max/mean load", "largest logit", "test error"],
  rows: zip(regularizers, sparseResults).map { regularizer, results in
    [
      regularizer.name, perSeed(results) { format($0.effectiveExperts, decimals: 1) },
      perSeed(results) { String($0.deadExperts) }, perSeed(results) { format($0.maximumToMeanLoad, decimals: 2) },
      perSeed(results) { format($0.largestLogit, decimals: 1) }, perSeed(results) { formatPercent(1 - $0.accuracy) },
    ]
  })
for (regularizer, results) in zip(regularizers, sparseResults) {
  let key = regularizer.name.split(separator: ",")[0].lowercased()
  chapter.report("\(key) effective experts", results.map(\.effectiveExperts), decimals: 2)
  chapter.report("\(key) dead experts", results.map(\.deadExperts))
  chapter.report("\(key) max/mean load", results.map(\.maximumToMeanLoad), decimals: 2)
  chapter.report("\(key) largest logit", results.map(\.largestLogit), decimals: 2)
  chapter.report("\(key) test error", results.map { 1 - $0.accuracy }, decimals: 3)
}
let unregularized = sparseResults[0]
/// Whether `results` give more effective experts than `baseline` on every seed.
func raisesEffectiveExperts(_ results: [SparseResult], over baseline: [SparseResult]) -> Bool {
  zip(results, baseline).allSatisfy { $0.effectiveExperts > $1.effectiveExperts }
}
let balancingRaisesEffectiveExperts = [1, 2, 5].allSatisfy {
  raisesEffectiveExperts(sparseResults[$0], over: unregularized)
}
print("Switch loss, cv^2 and bias each raise the effective experts on every seed: \(balancingRaisesEffectiveExperts)")
chapter.report("balancing raises effective experts on every seed", balancingRaisesEffectiveExperts)
let finalBias = sparseResults[5][0].selectionBias
let biasSpread = finalBias.max()! - finalBias.min()!
print(
  "selection bias after training (seed \(seeds[0])): from \(format(finalBias.min()!, decimals: 2)) to "
    + "\(format(finalBias.max()!, decimals: 2)), a spread of \(format(biasSpread, decimals: 2)); the largest "
    + "router logit on the test set is \(format(sparseResults[5][0].largestLogit, decimals: 1))")
chapter.report("final selection bias range", [finalBias.min()!, finalBias.max()!], decimals: 2)

// %% [markdown]
// Without a regularizer the gate uses few experts: 4.0 to 7.7 effective experts of 16, 7 to 10
// experts get no test digit at all, and the busiest expert has 3.30 to 6.78 times the mean load.
// The three balancing methods fix that on every seed. The Switch loss gives 15.7 effective experts
// and no dead expert; noisy top-k with the cv^2 losses 14.8 to 15.8 (one dead expert on seed 0);
// the bias 15.9 on every seed, with the busiest expert at 1.14 to 1.38 times the mean load, without
// any term in the loss. The test of this chapter's claim is the line under the table: each of the
// three raises the effective number of experts over the unregularized run on every seed. None of
// them costs accuracy here: the test error is 3.5% to 4.4% with the Switch loss, 2.7% on every seed
// with the noisy gate and cv^2 (the lowest), 3.3% to 4.0% with the bias, against 3.8% to 4.4%
// without. (One test digit is `1/451`, `0.2%`: differences of a few tenths are a few digits.)
//
// On seed 0 the bias ends between 0.50 and 3.26. Only its differences matter (adding the same amount
// to every expert changes no choice), and its spread, 2.76, is larger than the largest logit the
// router gives any test input, 2.2: at gamma = 0.01 the bias does much of the choosing, and the
// learned scores decide among the experts it leaves close. The combine weights never see the bias and
// follow the scores, and the error shows that on the digits many experts can serve an input well
// enough. A smaller gamma leaves more of the choice to the scores and balances more slowly (exercise
// 4).
//
// The two other terms are not balancing terms, and the table shows it. The entropy term asks each
// token for a decisive choice, and the gate obliges by using fewer experts: 2.8 to 5.2 effective
// experts and 9 to 13 dead ones, worse than no term on every seed, with larger logits (3.3 to 5.8
// against 2.3 to 2.9). The z-loss leaves the imbalance (8 to 13 dead experts, against 7 to 10
// without a term); its test error is lower than without on all three seeds (3.8%, 2.9% and 2.9%
// against 4.4%, 3.8% and 4.4%), but three seeds and differences of a few digits are too little to
// call that an effect. Its job is the logits, and on these digits they stay small even without it:
// it lowers the largest logit on seeds 0 and 2 (2.4 and 2.5 against 2.9 and 2.8) but not on seed 1
// (2.6 against 2.3). ST-MoE needs it for large models trained in low precision, where large logits
// lose precision in exp.

// %%
var utilizationPanels: [any Chart] = []
for (regularizer, results) in zip(regularizers, sparseResults) {
  var panel = BarChart(
    title: regularizer.name, groups: (1...mixtureExperts).map(String.init), xLabel: "expert",
    yLabel: "share of routed pairs")
  panel.add(series: "seed \(seeds[0])", values: results[0].utilization, color: Palette.color(0))
  panel.yRange = 0...0.5
  utilizationPanels.append(panel)
}
var utilizationGrid = FigureGrid(
  rows: 3, columns: 2, title: "Load per expert on the test set, top-2 of 16 (seed \(seeds[0]))",
  panels: utilizationPanels)
utilizationGrid.panelSize = (480, 300)
chapter.saveFigure(utilizationGrid, name: "utilization-by-regularizer")

var logitPlot = LinePlot(
  title: "Largest router logit on the test set during training (seed \(seeds[0]))", xLabel: "epoch",
  yLabel: "largest logit")
logitPlot.showMarkers = true
for (index, setting) in [0, 3, 4].enumerated() {
  logitPlot.add(
    series: regularizers[setting].name, x: (1...epochs).map(Double.init),
    y: sparseResults[setting][0].largestLogitByEpoch, color: Palette.color(index))
}
chapter.saveFigure(logitPlot, name: "largest-logit")

// %% [markdown]
// The first figure shows the load of each expert on seed 0 (a share is at most 0.5 with k = 2: each
// input counts once for each of its two experts). Without a term, and with the z-loss or the entropy,
// a handful of experts take everything; the three balancing methods spread the inputs almost evenly.
// The second figure follows the largest logit through training on the same seed: without a term it
// keeps growing slowly, the z-loss holds it flat in the second half of training, and the entropy term drives it up
// from the first epoch.
//
// ## Summary
//
// - The slide's forward pass multiplies `[E, B, out]` by `[B, E, 1]`: it fails for every batch size
//   but 1 and E, and gives a wrong result for those two (the transposed weights for B = E, off by
//   0.3768). `gating_weights.t().unsqueeze(2)` or the library's `MixtureOfExperts` is the mixture.
// - L1 (`l1Penalty`) drives the weights that the data does not support toward zero: on a task where
//   7 of 10 inputs are useless, lambda = `1e-3` cuts their weights from 0.1790 to 0.0056 and the test
//   MSE from 0.0480 to 0.0397. The slide's 0.01, a sum over every parameter, makes the penalty 83.9%
//   of the loss and the test MSE 0.0905. Adam with L1 leaves no weight exactly at zero.
// - Balancing acts on the routing, not on the weights. Switch's loss, Shazeer's cv^2 losses with the
//   noisy gate, and DeepSeek-V3's selection bias each raise the effective number of experts from 4.0
//   to 7.7 to between 14.8 and 15.9 on every seed, with no dead expert (one with cv^2 on one seed), at no
//   cost in test error.
// - The router z-loss and the gate entropy are not balancing terms: the z-loss keeps the logits
//   small, the entropy term makes choices decisive and leaves more experts dead.
// - Compute cv^2 as variance / mean^2: through a square root its gradient at balance is NaN.
//
// ## Exercises
//
// Exercises 6, 7 and 8 check themselves. Write your answers in `Exercises.swift`, beside this lesson (a
// stub per exercise, whose comment restates the task), and run `make check-13`: it prints one line per
// exercise, `passed`, `not yet` with the input it tried and the value it expected, or `not done yet`.
// The other exercises are for thinking and trying; the [teachers' page](../TEACHERS.md) discusses all
// of them.
//
// 1. Repair the slide's forward pass in the slide's style: weights `gatingWeights.transposed()`
//    reshaped to `[E, B, 1]` (PyTorch: `gating_weights.t().unsqueeze(2)`), and check it against
//    `slideMixture(x)` for B = 1, 3 and 32.
// 2. Leave the gate out of the penalty (`l1Penalty(experts.flatMap(\.parameters))`) and then the
//    biases too. Does the test MSE at lambda = 0.01 recover? Then divide the penalty by the number of
//    parameters (a mean instead of a sum) and find the strength that works as well as `1e-3` did.
// 3. Count f in the Switch loss both ways (`counting: .mostProbableExpert` and `.chosenExperts`) with
//    the top-2 gate of the table. Which experts does the first version never see, and does the
//    balance differ?
// 4. Sweep the bias step gamma over `0.001` (DeepSeek-V3's), `0.01` and `0.1`, and record the
//    selection bias after every epoch. Which gamma is too slow for 660 steps, and what does a large
//    one cost in max/mean load?
// 5. Raise the z-loss weight to `0.01` and `0.1`. What happens to the largest logit, to the
//    logsumexp (z-loss pulls it to 0, so the logits go negative), and to the dead experts?
// 6. *(checked)* The Switch load-balancing loss by hand, counting every chosen pair
//    (`switchLoss`): from the probabilities [N, E] and each token's chosen experts, return
//    E sum_i f_i P_i with f_i = (pairs to expert i) / (N k). The checker compares with
//    `loadBalancingLoss(_:counting: .chosenExperts)`.
// 7. *(checked)* The proximal step of L1 (`softThreshold`): after a gradient step, replace each
//    weight w by sign(w) max(|w| - t, 0), with t = learning rate times lambda. Unlike the gradient
//    lambda sign(w), it sets small weights exactly to zero. The checker tries hand-computed cases,
//    zeros and negative weights.
// 8. *(checked)* One step of auxiliary-loss-free balancing (`updatedBias`): from the bias, the tokens
//    each expert got and gamma, return b_e + gamma sign(mean load - load_e). The checker compares with
//    `BiasBalancedTopKGate.updateBias(load:)`.
