// %% [markdown]
// # 8. Sparse activation
//
// The slide's claim: activate only a few experts for each input, and a model can have many more
// experts without a longer forward pass. The gate of Shazeer et al. (2017) keeps the k largest of its
// E scores and gives a softmax over those k alone; the other experts get weight zero:
//
//     G(x) = softmax(topK(x W + b, k))        y(x) = sum over the k chosen experts i of G_i(x) E_i(x)
//
// A weight of zero saves nothing by itself. The saving comes only if the experts with weight zero are
// never run, and whether they are depends on how the sum is computed. This chapter takes the slide's
// code apart (it runs every expert, and its indexing is wrong), computes the same sum with sparse
// dispatch, counts the work both do as E grows, trains top-k mixtures on handwritten digits, and
// then meets the problem sparse gating brings with it: left alone, a few experts take most inputs.

// %%
import Datasets
import Lessons
import MoE
import Plotting
import Training

let chapter = Chapter(
  number: 8, title: "Sparse activation",
  abstract: """
    The slide's SparseMoME runs every expert and then selects, and its indexing mixes the inputs of \
    a batch. Sparse dispatch runs only the k chosen experts: expert evaluations and multiply-adds \
    per input for E = 4 to 64. Top-k mixtures (k = 1, 2, 4 of 16 experts) on the digits, their \
    expert utilization, and the imbalance of plain top-k fixed by noisy gating with the importance \
    and load losses (Shazeer et al. 2017, Table 6's columns).
    """,
  defaultSeed: 0, defaultEpochs: 40)

// %% [markdown]
// ## The slide's code, in Swift
//
// The slide's forward pass, and its example:
//
//     gating_scores = self.gating_network(x)
//     top_k_scores, top_k_indices = torch.topk(gating_scores, self.top_k, dim=1)
//     gating_weights = torch.softmax(top_k_scores, dim=1)
//     expert_outputs = torch.stack([self.experts[i](x) for i in range(len(self.experts))])
//     selected_outputs = expert_outputs[top_k_indices]
//     output = torch.sum(selected_outputs * gating_weights.unsqueeze(2), dim=1)
//
//     sparse_model = SparseMoME(num_experts=10, input_size=10, hidden_size=20, output_size=5, top_k=3)
//     output = sparse_model(torch.randn(1, 10))   # the slide says: Output shape: torch.Size([1, 5])
//
// Here is `SparseMoME` in Swift, line by line, with the PyTorch line beside each Swift one.
// `Tensor` broadcasts as PyTorch does, so every intermediate has the shape PyTorch would give it.
// The product of the selected outputs and the weights is checked before it is taken: where
// PyTorch would raise an error, this version returns the error's text instead of stopping.

// %%
/// The slide's forward pass, with the shape of every step.
struct SlideForward {
  var steps: [(expression: String, shape: [Int])] = []
  /// The slide's output; nil when its broadcast fails.
  var output: Tensor?
  var error: String?
  var expertOutputs: Tensor
  var topKIndices: [Int]
  var gatingWeights: Tensor
}

/// `SparseMoME` of slide 8: E experts, a linear gate, and top-k.
final class SlideSparseMoME {
  let experts: [FeedForwardExpert]
  let gatingNetwork: Linear
  let topK: Int

  init(
    numExperts: Int, inputSize: Int, hiddenSize: Int, outputSize: Int, topK: Int, using generator: inout SeededGenerator
  ) {
    experts = FeedForwardExpert.make(
      count: numExperts, inputSize: inputSize, hiddenSize: hiddenSize, outputSize: outputSize, using: &generator)
    gatingNetwork = Linear(inputSize, numExperts, using: &generator)
    self.topK = topK
  }

  func forward(_ x: Tensor) -> SlideForward {
    let batch = x.shape[0]
    let gatingScores = gatingNetwork(x)  // gating_scores = self.gating_network(x)
    let (topKScores, topKIndices) = gatingScores.topK(topK)  // torch.topk(gating_scores, self.top_k, dim=1)
    let gatingWeights = topKScores.softmax(axis: 1)  // torch.softmax(top_k_scores, dim=1)
    let expertOutputs = Tensor.stack(experts.map { $0(x) })  // torch.stack([self.experts[i](x) for i ...])
    // expert_outputs[top_k_indices]: an index tensor [B, k] on the first axis of [E, B, out] picks
    // whole [B, out] blocks, one per index: [B, k, B, out].
    let outputSize = expertOutputs.shape[2]
    let selectedOutputs = expertOutputs.indexSelect(rows: topKIndices).reshaped([batch, topK, batch, outputSize])
    let weights = gatingWeights.reshaped([batch, topK, 1])  // gating_weights.unsqueeze(2)
    var result = SlideForward(
      steps: [
        ("gating_scores", gatingScores.shape), ("top_k_indices", [batch, topK]),
        ("gating_weights", gatingWeights.shape), ("expert_outputs", expertOutputs.shape),
        ("selected_outputs", selectedOutputs.shape), ("gating_weights.unsqueeze(2)", weights.shape),
      ],
      expertOutputs: expertOutputs, topKIndices: topKIndices, gatingWeights: gatingWeights)
    let (productShape, error) = broadcastedShape(selectedOutputs.shape, weights.shape)
    guard let productShape else {
      result.error = error
      return result
    }
    let output = (selectedOutputs * weights).sum(axis: 1)  // torch.sum(selected_outputs * ..., dim=1)
    result.steps += [("selected_outputs * weights", productShape), ("output", output.shape)]
    result.output = output
    return result
  }
}

/// What the slide meant: y_b = sum_j w[b, j] E_{idx[b, j]}(x_b), taking from expert idx[b, j]'s
/// outputs only row b (PyTorch: expert_outputs[top_k_indices, torch.arange(B)[:, None]]).
func correctGather(_ slide: SlideForward) -> Tensor {
  let (experts, batch, outputSize) = (
    slide.expertOutputs.shape[0], slide.expertOutputs.shape[1], slide.expertOutputs.shape[2]
  )
  let k = slide.topKIndices.count / batch
  let rows = slide.topKIndices.enumerated().map { slot, expert in expert * batch + slot / k }
  let selected = slide.expertOutputs.reshaped([experts * batch, outputSize]).indexSelect(rows: rows)
  return (selected.reshaped([batch, k, outputSize]) * slide.gatingWeights.reshaped([batch, k, 1])).sum(axis: 1)
}

func printSteps(_ forward: SlideForward) {
  printTable(
    header: ["step", "shape"],
    rows: forward.steps.map { [$0.expression, "\($0.shape)"] } + (forward.error.map { [["error", $0]] } ?? []))
}

/// Largest absolute difference between two equal-length lists.
func maximumDifference(_ a: [Float], _ b: [Float]) -> Float {
  zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

// %% [markdown]
// The slide's example: 10 experts 10-20-5, k = 3, one input.

// %%
var slideGenerator = SeededGenerator(seed: chapter.seed)
let slideModel = SlideSparseMoME(
  numExperts: 10, inputSize: 10, hiddenSize: 20, outputSize: 5, topK: 3, using: &slideGenerator)
let oneInput = Tensor.normal([1, 10], using: &slideGenerator)
let slideOne = withoutGradients { slideModel.forward(oneInput) }
printSteps(slideOne)
let slideOneOutput = slideOne.output!
print("slide's output shape: \(slideOneOutput.shape) (its comment says [1, 5])")
chapter.report("slide output shape for one input", slideOneOutput.shape)

// %% [markdown]
// The output is `[1, 3, 5]`, not the `[1, 5]` the slide's comment promises. The selected outputs are
// `[1, 3, 1, 5]` and the weights `[1, 3, 1]`; broadcasting aligns the weights' axis of 3 with the
// third axis (the batch axis, of size 1), not with the second (the k axis). The product is
// `[1, 3, 3, 5]`: every selected expert's output times every weight. Summed over the experts, row j
// of the output is w_j times the unweighted sum of the three chosen experts, not the mixture. The
// table compares each row with the mixture y = sum_j w_j E_j(x), from the correct gather.

// %%
let correctOne = withoutGradients { correctGather(slideOne) }
let chosenSum = withoutGradients { slideOne.expertOutputs.indexSelect(rows: slideOne.topKIndices).sum(axis: 0) }
let oneWeights = slideOne.gatingWeights.scalars
var rowChecks: [[String]] = []
for j in 0..<3 {
  let row = Array(slideOneOutput.scalars[(5 * j)..<(5 * j + 5)])
  rowChecks.append([
    "row \(j + 1)", format(oneWeights[j], decimals: 4),
    format(maximumDifference(row, (chosenSum * oneWeights[j]).scalars), decimals: 6),
    format(maximumDifference(row, correctOne.scalars), decimals: 4),
  ])
}
printTable(header: ["slide's output", "w_j", "max |row - w_j sum_i E_i(x)|", "max |row - y|"], rows: rowChecks)
print("mixture y (correct gather): \(correctOne.scalars.map { format($0, decimals: 4) }.joined(separator: ", "))")

// %% [markdown]
// Each row of the slide's output is exactly w_j times the sum of the chosen experts (the differences
// are 0.000000), and none is the mixture: they miss y by up to 0.1003, 0.0261 and 0.0984. The code
// runs, prints a shape, and computes something else.
//
// With a batch of four inputs the product fails: the selected outputs are `[4, 3, 4, 5]`, the
// weights `[4, 3, 1]`, and 3 meets 4 on the same axis. PyTorch stops with this error.

// %%
let fourInputs = Tensor.normal([4, 10], using: &slideGenerator)
let slideFour = withoutGradients { slideModel.forward(fourInputs) }
printSteps(slideFour)
chapter.report("slide fails for a batch of four", slideFour.error != nil)

// %% [markdown]
// An obvious repair makes it run without making it right: weights shaped `[B, k, 1, 1]`
// (`gating_weights[:, :, None, None]`). The output is then `[B, B, out]`, and entry (b, b') is
// input b's gate weights applied to input b''s expert outputs. Only the diagonal b' = b is the
// mixture; every other entry mixes another input's outputs in. For B = 1 there is only the diagonal,
// which is why this bug hides in a batch-of-one example. The table prints, for each pair (b, b'),
// the largest difference from the correct output y_b.

// %%
let repaired = withoutGradients {
  (slideFour.expertOutputs.indexSelect(rows: slideFour.topKIndices).reshaped([4, 3, 4, 5])
    * slideFour.gatingWeights.reshaped([4, 3, 1, 1])).sum(axis: 1)
}
let correctFour = withoutGradients { correctGather(slideFour) }
print("repaired broadcast: output \(repaired.shape), correct gather: \(correctFour.shape)")
var pairRows: [[String]] = []
var diagonalError: Float = 0
var offDiagonalError: Float = 0
for b in 0..<4 {
  let target = Array(correctFour.scalars[(5 * b)..<(5 * b + 5)])
  var row = ["input \(b + 1)"]
  for other in 0..<4 {
    let start = (b * 4 + other) * 5
    let difference = maximumDifference(Array(repaired.scalars[start..<(start + 5)]), target)
    if other == b {
      diagonalError = max(diagonalError, difference)
    } else {
      offDiagonalError = max(offDiagonalError, difference)
    }
    row.append(format(difference, decimals: 4))
  }
  pairRows.append(row)
}
printTable(header: ["gate of", "outputs of 1", "outputs of 2", "outputs of 3", "outputs of 4"], rows: pairRows)
chapter.report("repaired slide diagonal error", diagonalError, decimals: 4)
chapter.report("repaired slide off-diagonal error", offDiagonalError, decimals: 4)

// %% [markdown]
// The diagonal is 0.0000: input b's gate applied to input b's outputs is the mixture. Everywhere else
// the repaired code is off by as much as 0.3544, and a sum over the extra axis, or taking row 0, would
// quietly train on those wrong numbers.
//
// The library's `MixtureOfExperts` with a `TopKGate` computes the correct gather. Given the slide
// model's experts and gate weights, its output for the four inputs equals `correctGather` to float
// precision, both with sparse dispatch (below) and with dense dispatch (every expert, then the
// [N, E] combine weights, zeros included).

// %%
let libraryGate = try TopKGate(inputSize: 10, expertCount: 10, k: 3, using: &slideGenerator)
libraryGate.scores.weight.assign(slideModel.gatingNetwork.weight)
libraryGate.scores.bias.assign(slideModel.gatingNetwork.bias!)
let libraryMixture = MixtureOfExperts(experts: slideModel.experts, gate: libraryGate, dispatch: .sparse)
let librarySparse = withoutGradients { libraryMixture.forward(fourInputs).output }
libraryMixture.dispatch = .dense
let libraryDense = withoutGradients { libraryMixture.forward(fourInputs).output }
let libraryError = maximumDifference(librarySparse.scalars, correctFour.scalars)
print("max |sparse dispatch - correct gather| = \(format(libraryError, decimals: 7))")
let denseError = maximumDifference(libraryDense.scalars, correctFour.scalars)
print("max |dense dispatch - correct gather|  = \(format(denseError, decimals: 7))")
chapter.report("library matches correct gather", libraryError < 1e-5)

// %% [markdown]
// ## What it costs: every expert, or only the chosen ones
//
// Even with its indexing fixed, the slide runs `self.experts[i](x)` for every i and only then
// selects: E expert evaluations per input, whatever k is. Sparse dispatch (`dispatch: .sparse`)
// groups the batch's (input, expert) pairs by expert; each expert gathers its inputs, runs once on
// that block, and its rows are scaled and added back. Only the N k chosen pairs are computed.
//
// We count the work rather than time it (timings depend on the machine and on what else runs; the
// counts do not). The routing record says how many (input, expert) pairs the experts ran on;
// `ComputeCost` turns that into multiply-adds of the matrix products:
// `N * D E` for the gate plus `evaluations * (D H + H O)` for the experts. The experts are the ones
// trained below, 64-32-10 (D H + H O = `64 * 32 + 32 * 10` multiply-adds per evaluation), with k = 2,
// on 256 digit images.

// %%
var dataGenerator = SeededGenerator(seed: chapter.seed)
let digits = try Digits.load()
let (training, _, test) = try digits.split(validation: 0, test: 0.25, using: &dataGenerator)
let hiddenSize = 32
let probe = training.inputs.indexSelect(rows: Array(0..<256))
let expertMultiplyAdds =
  FeedForwardExpert(inputSize: 64, hiddenSize: hiddenSize, outputSize: 10, using: &dataGenerator).multiplyAddsPerInput
print("one expert 64-\(hiddenSize)-10: \(expertMultiplyAdds) multiply-adds per input; the gate: 64 per expert")

let expertCounts = [4, 8, 16, 32, 64]
let probeK = 2
var costRows: [[String]] = []
var slideEvaluations: [Double] = []
var sparseEvaluations: [Double] = []
var slideMultiplyAdds: [Double] = []
var sparseMultiplyAdds: [Double] = []
for expertCount in expertCounts {
  var generator = SeededGenerator(seed: chapter.seed &+ UInt64(expertCount))
  let experts = FeedForwardExpert.make(
    count: expertCount, inputSize: 64, hiddenSize: hiddenSize, outputSize: 10, using: &generator)
  let gate = try TopKGate(inputSize: 64, expertCount: expertCount, k: probeK, using: &generator)
  let everyExpert = MixtureOfExperts(experts: experts, gate: gate, dispatch: .dense)
  let sparse = MixtureOfExperts(experts: experts, gate: gate, dispatch: .sparse)
  let (denseOutput, denseRouting) = withoutGradients { everyExpert.forward(probe) }
  let (sparseOutput, sparseRouting) = withoutGradients { sparse.forward(probe) }
  let denseCost = try ComputeCost(
    routing: denseRouting, gateMultiplyAdds: gate.scores.multiplyAddsPerInput,
    expertMultiplyAdds: experts[0].multiplyAddsPerInput)
  let sparseCost = try ComputeCost(
    routing: sparseRouting, gateMultiplyAdds: gate.scores.multiplyAddsPerInput,
    expertMultiplyAdds: experts[0].multiplyAddsPerInput)
  slideEvaluations.append(denseCost.expertEvaluationsPerInput)
  sparseEvaluations.append(sparseCost.expertEvaluationsPerInput)
  slideMultiplyAdds.append(denseCost.multiplyAddsPerInput)
  sparseMultiplyAdds.append(sparseCost.multiplyAddsPerInput)
  costRows.append([
    String(expertCount), format(denseCost.expertEvaluationsPerInput, decimals: 0),
    format(denseCost.multiplyAddsPerInput, decimals: 0), format(sparseCost.expertEvaluationsPerInput, decimals: 0),
    format(sparseCost.multiplyAddsPerInput, decimals: 0),
    format(denseCost.multiplyAddsPerInput / sparseCost.multiplyAddsPerInput, decimals: 2),
    format(maximumDifference(denseOutput.scalars, sparseOutput.scalars), decimals: 7),
  ])
}
printTable(
  header: [
    "E", "slide: experts run", "slide: mult-adds", "sparse: experts run", "sparse: mult-adds", "ratio", "max |diff|",
  ],
  rows: costRows)
chapter.report("expert counts", expertCounts)
chapter.report("slide evaluations per input", slideEvaluations, decimals: 2)
chapter.report("sparse evaluations per input", sparseEvaluations, decimals: 2)
chapter.report("slide multiply-adds per input", slideMultiplyAdds, decimals: 0)
chapter.report("sparse multiply-adds per input", sparseMultiplyAdds, decimals: 0)

// %% [markdown]
// The two columns of outputs agree (the largest difference is 0.0000001, float rounding), so the
// comparison is of two ways to compute one function. The slide's way runs all E experts: 4 to 64
// evaluations per input, and its multiply-adds grow with E, from 9728 to 155648, by one whole expert
// (`2368 + 64` multiply-adds) per added expert. Sparse dispatch runs 2 experts per input at every E.
// Its multiply-adds still grow a little, from 4992 to 8832, because the gate scores every expert
// (`64` multiply-adds per expert per input); the experts' share stays at `2 * 2368`. At E = 64 the
// slide's way does 17.62 times the work. The gate's share shrinks as the experts grow (exercise 5).

// %%
var evaluationPlot = LinePlot(
  title: "Expert evaluations per input (k = 2)", xLabel: "experts E", yLabel: "expert evaluations per input")
evaluationPlot.showMarkers = true
evaluationPlot.add(series: "slide: every expert", x: expertCounts, y: slideEvaluations, color: Palette.color(0))
evaluationPlot.add(series: "sparse dispatch", x: expertCounts, y: sparseEvaluations, color: Palette.color(1))
var multiplyAddPlot = LinePlot(
  title: "Multiply-adds per input (k = 2)", xLabel: "experts E", yLabel: "multiply-adds per input")
multiplyAddPlot.showMarkers = true
multiplyAddPlot.add(series: "slide: every expert", x: expertCounts, y: slideMultiplyAdds, color: Palette.color(0))
multiplyAddPlot.add(series: "sparse dispatch", x: expertCounts, y: sparseMultiplyAdds, color: Palette.color(1))
var computeFigure = FigureGrid(
  rows: 2, columns: 1, title: "Compute per input against the number of experts",
  panels: [evaluationPlot, multiplyAddPlot], sharedLegend: true)
computeFigure.panelSize = (700, 400)
chapter.saveFigure(computeFigure, name: "compute-per-input")

// %% [markdown]
// ## Top-k mixtures on the digits
//
// The digits are 1797 handwritten digits of 8 x 8 pixels, split into training and test sets by
// `split(validation: 0, test: 0.25)` (stratified by class). Each mixture has 16 experts 64-32-10
// that output class scores and a top-k gate; training is `fit` with Adam (learning rate 3e-3),
// cross-entropy, mini-batches of 64. The experts and the gate are initialized from the same seed in
// every run, so the runs differ only in what we change.
//
// With k = 1 the softmax over one score is always 1: the weight says nothing about the score, and
// the task's gradient never reaches the gate, which keeps its random initial division of the inputs.
// From k = 2 on, the weights depend on the scores and the gate learns.

// %%
let mixtureExperts = 16
let epochs = chapter.epochs(quick: 3)

/// A trained mixture's results on the test set (gate noise off).
struct TrainedResult {
  let accuracy: Double
  let balance: LoadBalance
  let cost: ComputeCost
  let finalLoss: Double
  var utilization: [Double] { shares(of: balance.load) }
}

/// 16 experts and a gate from `seed` (experts first, then the gate's scores, so every gate kind starts
/// from the same scores), trained with cross-entropy + wImportance * importanceLoss + wLoad * loadLoss.
func trainMixture(
  k: Int, noisy: Bool, importanceWeight: Float = 0, loadWeight: Float = 0, seed: UInt64,
  training: LabelledDataset, test: LabelledDataset
) throws -> (mixture: MixtureOfExperts, result: TrainedResult) {
  var generator = SeededGenerator(seed: seed)
  let experts = FeedForwardExpert.make(
    count: mixtureExperts, inputSize: 64, hiddenSize: hiddenSize, outputSize: 10, using: &generator)
  let gate: any Router =
    noisy
    ? try NoisyTopKGate(inputSize: 64, expertCount: mixtureExperts, k: k, seed: seed &+ 7, using: &generator)
    : try TopKGate(inputSize: 64, expertCount: mixtureExperts, k: k, using: &generator)
  let mixture = MixtureOfExperts(experts: experts, gate: gate)
  let optimizer = Adam(parameters: mixture.parameters, learningRate: 3e-3)
  var batchOrder = SeededGenerator(seed: seed &+ 1000)
  let history = try fit(
    model: mixture, optimizer: optimizer, epochs: epochs,
    batches: { _ in try training.batches(size: 64, using: &batchOrder) },
    forward: { batch in
      let (output, routing) = mixture.forward(batch.inputs)
      return (output, routing)
    },
    loss: { batch, output, routing in
      var loss = crossEntropy(output, labels: batch.labels)
      if importanceWeight > 0 { loss = loss + importanceWeight * importanceLoss(routing!) }
      if loadWeight > 0 { loss = loss + loadWeight * (try loadLoss(routing!)) }
      return loss
    })
  mixture.eval()
  let (output, routing) = withoutGradients { mixture.forward(test.inputs) }
  let correct = zip(output.argmax(axis: 1), test.labels).filter { $0.0 == $0.1 }.count
  let result = TrainedResult(
    accuracy: Double(correct) / Double(test.count), balance: LoadBalance(routing),
    cost: try ComputeCost(
      routing: routing, gateMultiplyAdds: 64 * mixtureExperts, expertMultiplyAdds: experts[0].multiplyAddsPerInput),
    finalLoss: history.trainingLosses.last ?? .nan)
  return (mixture, result)
}

print("digits: \(digits.count), training: \(training.count), test: \(test.count); \(epochs) epochs")
let kValues = [1, 2, 4]
var topKResults: [TrainedResult] = []
for k in kValues {
  topKResults.append(try trainMixture(k: k, noisy: false, seed: chapter.seed, training: training, test: test).result)
}
printTable(
  header: ["k", "test accuracy", "experts run per input", "mult-adds per input", "experts with 1% of load"],
  rows: zip(kValues, topKResults).map { k, result in
    [
      String(k), formatPercent(result.accuracy), format(result.cost.expertEvaluationsPerInput, decimals: 0),
      format(result.cost.multiplyAddsPerInput, decimals: 0), String(result.utilization.filter { $0 >= 0.01 }.count),
    ]
  })
chapter.report("top-k values", kValues)
chapter.report("top-k test accuracy", topKResults.map(\.accuracy), decimals: 3)

// %% [markdown]
// All three classify the test digits well: 97.1% with k = 1, 97.6% with k = 2 and 98.7% with k = 4,
// for 3392, 5760 and 10496 multiply-adds per input. Each step in k buys accuracy with compute, and
// k = 4 of 16 still does a quarter of the dense mixture's expert work. (The differences are a few
// test digits out of 451: one digit is `1/451` of them.)
//
// The last column already shows the problem of the next section: with k = 1 and k = 2, only 6 of the
// 16 experts get at least 1% of the routed pairs. With k = 1 that is the random initial gate's
// division, which never changes; with k = 2 the gate learned, and learned to use six experts. The
// figure shows the share of each expert.

// %%
var utilizationChart = BarChart(
  title: "Share of the test inputs' (input, expert) pairs, per expert", groups: (1...mixtureExperts).map(String.init),
  xLabel: "expert", yLabel: "share of routed pairs")
for (k, result) in zip(kValues, topKResults) {
  utilizationChart.add(series: "k = \(k)", values: result.utilization)
}
chapter.saveFigure(utilizationChart, name: "utilization-by-k")

// %% [markdown]
// ## Left alone, a few experts take most inputs
//
// Shazeer et al. (2017, section 4) report that the gate converges to a state where it always
// favours the same few experts: the favoured ones train faster, so the gate prefers them even more.
// They measure the balance by the coefficient of variation (CV, standard deviation over mean) of
// two quantities over a batch X,
//
//     Importance_i(X) = sum over x in X of G_i(x)        Load_i(X) = number of x routed to expert i
//
// and the ratio of the largest load to the mean load (their Table 6). CV is 0 and max/mean is 1
// when all experts are used equally; when one expert takes everything, CV(Load) = sqrt(E - 1) and
// max/mean = E. Their fix has three parts:
//
// - noisy top-k (`NoisyTopKGate`): before the top-k, each score gets Gaussian noise of a learned
//   scale, so an expert just outside the top k still wins sometimes and gets a gradient;
// - the importance loss, w_importance CV(Importance(X))^2 (`importanceLoss`);
// - the load loss, w_load CV(Load(X))^2 (`loadLoss`), on a smooth estimate of the load: the
//   probability that each expert would still be in the top k if its noise were drawn again (their
//   appendix A).
//
// The table repeats their columns for five runs of k = 2 of 16 experts, from the same seed, on the
// test set (gate noise off, as at test time).

// %%
let balanceRuns: [(name: String, noisy: Bool, importance: Float, load: Float)] = [
  ("top-k", false, 0, 0),
  ("noisy top-k", true, 0, 0),
  ("noisy top-k", true, 0.1, 0),
  ("noisy top-k", true, 0, 0.1),
  ("noisy top-k", true, 0.1, 0.1),
]
var balanceResults: [TrainedResult] = []
var balancedMixture: MixtureOfExperts?
for run in balanceRuns {
  let (mixture, result) = try trainMixture(
    k: 2, noisy: run.noisy, importanceWeight: run.importance, loadWeight: run.load, seed: chapter.seed,
    training: training, test: test)
  balanceResults.append(result)
  balancedMixture = mixture
}
printTable(
  header: [
    "gate", "w_importance", "w_load", "test accuracy", "CV(Importance)", "CV(Load)", "max/mean Load",
    "experts with 1% of load",
  ],
  rows: zip(balanceRuns, balanceResults).map { run, result in
    [
      run.name, format(run.importance, decimals: 1), format(run.load, decimals: 1), formatPercent(result.accuracy),
      format(result.balance.importanceCoefficientOfVariation, decimals: 3),
      format(result.balance.loadCoefficientOfVariation, decimals: 3),
      format(result.balance.maximumToMeanLoad, decimals: 2), String(result.utilization.filter { $0 >= 0.01 }.count),
    ]
  })
let unbalanced = balanceResults[0]
let balanced = balanceResults[4]
chapter.report("cv importance without balancing", unbalanced.balance.importanceCoefficientOfVariation, decimals: 3)
chapter.report("cv importance with balancing", balanced.balance.importanceCoefficientOfVariation, decimals: 3)
chapter.report("cv load without balancing", unbalanced.balance.loadCoefficientOfVariation, decimals: 3)
chapter.report("cv load with balancing", balanced.balance.loadCoefficientOfVariation, decimals: 3)
chapter.report("max/mean load without balancing", unbalanced.balance.maximumToMeanLoad, decimals: 2)
chapter.report("max/mean load with balancing", balanced.balance.maximumToMeanLoad, decimals: 2)
chapter.report("test accuracy without balancing", unbalanced.accuracy, decimals: 3)
chapter.report("test accuracy with balancing", balanced.accuracy, decimals: 3)

// %% [markdown]
// Plain top-k concentrates the work: CV(Importance) is 1.630, CV(Load) 1.529, and the busiest expert
// takes 4.59 times the mean load. Noise alone does not help here (1.759, 1.661 and 4.97): it lets
// other experts win now and then in training, but nothing asks the gate to spread the inputs. Each
// loss alone brings the three numbers down (to 0.339, 0.359 and 1.51 with the importance loss; 0.476,
// 0.409 and 1.47 with the load loss), and both together most: 0.269, 0.225 and 1.29. The experts
// that get at least 1% of the load go from 6 of 16 (7 with noise alone) to 15 with either loss and
// to all 16 with both. Test accuracy does not suffer: 97.6% without balancing, 98.2% with both
// losses.
//
// One seed could be luck. The same pair of runs, plain top-k against noisy top-k with both losses,
// from three other seeds (another initialization and batch order each):

// %%
let otherSeeds: [UInt64] = chapter.quick ? [1] : [1, 2, 3]
var seedRows: [[String]] = []
var balancingLowersImportanceCV =
  balanced.balance.importanceCoefficientOfVariation
  < unbalanced.balance.importanceCoefficientOfVariation
for seed in otherSeeds {
  let plain = try trainMixture(k: 2, noisy: false, seed: seed, training: training, test: test).result
  let fixed = try trainMixture(
    k: 2, noisy: true, importanceWeight: 0.1, loadWeight: 0.1, seed: seed, training: training, test: test
  ).result
  balancingLowersImportanceCV =
    balancingLowersImportanceCV
    && fixed.balance.importanceCoefficientOfVariation < plain.balance.importanceCoefficientOfVariation
  seedRows.append([
    String(seed), format(plain.balance.importanceCoefficientOfVariation, decimals: 3),
    format(fixed.balance.importanceCoefficientOfVariation, decimals: 3),
    format(plain.balance.maximumToMeanLoad, decimals: 2), format(fixed.balance.maximumToMeanLoad, decimals: 2),
    formatPercent(plain.accuracy), formatPercent(fixed.accuracy),
  ])
}
printTable(
  header: [
    "seed", "CV(Imp.) top-k", "CV(Imp.) balanced", "max/mean top-k", "max/mean balanced", "accuracy top-k",
    "accuracy balanced",
  ],
  rows: seedRows)
print("balancing lowers CV(Importance) on every seed: \(balancingLowersImportanceCV)")
chapter.report("balancing lowers cv importance on every seed", balancingLowersImportanceCV)

// %% [markdown]
// On every seed the balanced run's CV(Importance) is several times lower (0.251, 0.348 and 0.139
// against 1.388, 1.347 and 1.816), and the busiest expert's load falls from between 3.62 and 5.61
// times the mean to between 1.24 and 1.35 times. Accuracy moves by a few digits either way. On the
// digits, then, balancing buys no accuracy; what it buys is the use of all 16 experts, which is the
// point of having 16. At scale it buys more: Shazeer et al. put experts on different devices, and the
// busiest expert sets the pace of the whole batch. The next step, a hard limit on each expert's inputs
// (capacity, with inputs dropped when an expert is full), belongs to Switch (Fedus et al. 2021) and
// GShard (Lepikhin et al. 2020), in chapter 15 (planned); chapter 13 compares the balancing
// losses.
//
// The figure shows the load per expert of the two runs on the default seed: the unbalanced run uses
// six experts, the balanced one all 16.

// %%
var balanceChart = BarChart(
  title: "Load per expert, k = 2 of 16 (test set)", groups: (1...mixtureExperts).map(String.init), xLabel: "expert",
  yLabel: "share of routed pairs")
balanceChart.add(series: "top-k, no balancing", values: unbalanced.utilization, color: Palette.color(0))
balanceChart.add(series: "noisy top-k + both losses", values: balanced.utilization, color: Palette.color(1))
chapter.saveFigure(balanceChart, name: "utilization-balancing")

// %% [markdown]
// ## Token choice and expert choice
//
// Top-k is token choice: each input picks its k experts, and nothing bounds how many inputs pick the
// same expert. Expert choice (Zhou et al. 2022, `ExpertChoiceRouter`) turns it around: each expert
// picks the C inputs it scores highest, C = ceil(c N / E), so every expert gets exactly C inputs, while
// an input may be picked by several experts or by none. With c = 2 both do the same N k = 2 N
// evaluations. The table routes the test set both ways with the balanced run's gate scores (the
// same scores, two rules).

// %%
let trainedGate = balancedMixture!.gate as! NoisyTopKGate
trainedGate.setTraining(false)
var routerGenerator = SeededGenerator(seed: chapter.seed)
let expertChoice = try ExpertChoiceRouter(
  inputSize: 64, expertCount: mixtureExperts, capacityFactor: 2, using: &routerGenerator)
expertChoice.scores.weight.assign(trainedGate.scores.weight)
expertChoice.scores.bias.assign(trainedGate.scores.bias)
let tokenChoiceRecord = withoutGradients { balancedMixture!.forward(test.inputs).routing }
let expertChoiceRecord = withoutGradients {
  MixtureOfExperts(experts: balancedMixture!.experts, gate: expertChoice).forward(test.inputs).routing
}
var choiceRows: [[String]] = []
for (name, record) in [("token choice (top-2)", tokenChoiceRecord), ("expert choice (c = 2)", expertChoiceRecord)] {
  let perToken = record.expertsPerToken.map(\.count)
  choiceRows.append([
    name, String(record.expertEvaluations), String(record.tokensPerExpert.min()!),
    String(record.tokensPerExpert.max()!),
    String(perToken.filter { $0 == 0 }.count), String(perToken.filter { $0 == 1 }.count),
    String(perToken.filter { $0 == 2 }.count), String(perToken.filter { $0 > 2 }.count),
  ])
}
printTable(
  header: ["routing", "evaluations", "min load", "max load", "0 experts", "1 expert", "2 experts", "3+ experts"],
  rows: choiceRows)
chapter.report("expert choice inputs with no expert", expertChoiceRecord.expertsPerToken.filter(\.isEmpty).count)
chapter.report("expert choice load per expert", expertChoiceRecord.tokensPerExpert)
chapter.report("token choice experts per input", Array(Set(tokenChoiceRecord.expertsPerToken.map(\.count))).sorted())

// %% [markdown]
// Token choice gives every input exactly 2 experts and lets the load run from 24 to 73 inputs per
// expert, even after balancing. Expert choice gives every expert exactly 57 inputs
// (`ceil(2 * 451 / 16)`, 912 evaluations in all), but 4 test digits get no expert at all (their output is zero), 113
// get one, and 118 get three or more. Neither rule is free: one can overload an expert, the other can
// skip an input. Chapter 15 (planned) takes both further.
//
// ## Summary
//
// - The slide's `SparseMoME` computes every expert and then selects. Its indexing
//   `expert_outputs[top_k_indices]` picks whole [B, out] blocks, [B, k, B, out]: for one input the
//   output is [1, 3, 5] instead of [1, 5] and no row of it is the mixture; for four inputs the
//   broadcast fails. Weights shaped [B, k, 1, 1] make it run, right only on the diagonal, wrong by up
//   to 0.3544 elsewhere. The correct gather takes row b of expert idx[b, j].
// - Sparse dispatch computes the same output with k expert evaluations per input instead of E: at
//   E = 64 and k = 2, 8832 multiply-adds per input instead of 155648. What still grows with E is the
//   gate.
// - On the digits, k = 1, 2 and 4 of 16 experts reach 97.1%, 97.6% and 98.7%. With k = 1 the gate
//   gets no gradient from the task.
// - Plain top-k uses a few experts (CV(Importance) 1.630, max/mean load 4.59). Noisy top-k with the
//   importance and load losses spreads the inputs (0.269 and 1.29) at no cost in accuracy, on every
//   seed tried.
// - Expert choice balances the load by construction and pays with inputs that no expert takes.
//
// ## Exercises
//
// Exercises 6, 7 and 8 check themselves. Write your answers in `Exercises.swift`, beside this lesson (a
// stub per exercise, whose comment restates the task), and run `make check-8`: it prints one line per
// exercise, `passed`, `not yet` with the input it tried and the value it expected, or `not done yet`.
// The other exercises are for thinking and trying; the [teachers' page](../TEACHERS.md) discusses all
// of them.
//
// 1. Token choice against expert choice (Shazeer et al. 2017; Zhou et al. 2022). Rerun the last
//    table with `capacityFactor` `1`, `2` and `4`, and with the unbalanced run's gate instead of the
//    balanced one (keep the mixture of the first run in `balanceRuns`). For each, print the load per
//    expert, the inputs that get no expert and those that get several. Then measure the test
//    accuracy of the trained mixture when it is routed by expert choice: how much does it lose, and
//    is it the unchosen inputs that it gets wrong?
// 2. Write sparse dispatch by hand, in the slide's style: for each expert e, collect the rows b
//    with e in `top_k_indices[b]`, run the expert on `x.indexSelect(rows:)` of those rows only, scale
//    by the weights and add them into the output with `indexAdd(rows:_:)`. Check your output
//    against `correctGather` on the batch of four, and count the rows each expert ran on.
// 3. Complete Shazeer's Table 6 on the digits: add rows with `w_importance = w_load = 0.01` and
//    `= 1` to `balanceRuns`. Where does the balance stop improving, and where does accuracy start
//    to fall?
// 4. With k = 1 the gate never learns. Check it: save `gate.scores.weight.scalars` before `fit` and
//    compare after. Then weight the chosen expert by its full softmax probability over all 16
//    experts instead of the softmax over one score (Switch's rule, chapter 15, planned): write a small
//    `Router` that does this and see whether the k = 1 accuracy and utilization change.
// 5. Extend `expertCounts` to `[4, 8, 16, 32, 64, 128, 256]`. At which E does the gate cost as much
//    as the two experts it selects? Make the experts wider (`hiddenSize` `128`) and look again.
// 6. *(checked)* Token choice by hand, as in the last table: from a score matrix [N, E], route each
//    token to its k best experts (ties to the lower expert) and return the load per expert, the tokens
//    with no expert and the tokens with several (`tokenChoice`). The checker compares with `TopKGate`.
// 7. *(checked)* Expert choice on the same scores: each expert takes the C tokens it scores highest
//    (ties to the lower token), and the same three counts (`expertChoice`). The first batch the checker
//    tries is also the first of exercise 6: compare the two answers. The checker compares with the
//    selection `ExpertChoiceRouter` makes.
// 8. *(checked)* Count the multiply-adds per input of a top-k mixture with sparse dispatch, for any
//    E, k and expert shape (`sparseMultiplyAdds`): the gate scores every expert, only k experts run.
//    The checker compares with the counts `ComputeCost` uses, starting with the last row of the cost
//    table.
