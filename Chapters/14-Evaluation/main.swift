// %% [markdown]
// # 14. Evaluation
//
// The slide's claim: evaluating a mixture of experts means more than its accuracy. The gate and the
// experts have behaviour of their own (which experts are used, how often, for which inputs, how
// sure the gate is), and a model can classify well while several of its experts are never its
// gate's first choice, or look balanced while its router drops inputs. The slide's function
// measures three things over a test set:
//
//     criterion = nn.MSELoss()
//     for inputs, targets in test_loader:
//         outputs = model(inputs)
//         loss = criterion(outputs, targets)
//         total_loss += loss.item()
//         _, predicted = torch.max(outputs, 1)
//         correct += (predicted == targets).sum().item()
//         gating_weights = model.gating_network(inputs)
//         _, max_expert = torch.max(gating_weights, 1)
//         for expert_idx in max_expert:
//             expert_activations[expert_idx] += 1
//     avg_loss = total_loss / len(test_loader)
//     accuracy = correct / len(test_loader.dataset)
//
// The accuracy is right (correct answers over the number of test inputs). The loss is a regression
// loss between class scores and the labels' numbers, averaged per batch rather than per input. The
// activations come from the gate's linear layer, not from what the router did. This chapter trains
// three mixtures of the same size on the digits (a dense softmax gate, noisy top-2, and a Switch
// router with capacity), runs the slide's evaluation on them in Swift, fixes its three flaws one by
// one, and then measures what an evaluation of a mixture should report: per-class accuracy and
// confusion, expert utilization counted two ways, its entropy and effective number of experts, the
// class-by-expert matrix and its specialization, the gate's entropy per input, and whether the
// gate's confidence goes with correct answers. It ends with the library's one-call report.

// %%
import Datasets
import Foundation  // log, exp
import Lessons
import MoE
import Plotting
import Training

let chapter = Chapter(
  number: 14, title: "Evaluation",
  abstract: """
    The slide's evaluate_mome mixes an MSE between class scores and labels with accuracy, averages \
    the loss per batch, and counts expert activations from the gate's logits. Three mixtures of 8 \
    experts on the digits (softmax, noisy top-2, Switch with capacity factor 1) evaluated the \
    slide's way and the right way: cross-entropy, activations arg-max and routed, utilization \
    entropy, specialization, gate entropy and accuracy by gate confidence, and the one-call report.
    """,
  defaultSeed: 0, defaultEpochs: 40)

// %% [markdown]
// ## Three mixtures to evaluate
//
// The digits are 1797 handwritten digits of 8 x 8 pixels, split into training and test sets by
// `split(validation: 0, test: 0.25)` (stratified by class). Each mixture has 8 experts 64-16-10
// that output class scores, and differs from the others only in its router:
//
// - softmax: every expert on every input, weighted by g(x) = softmax(x W + b) (`SoftmaxGate`);
// - noisy top-2: the two largest of the noisy scores, with the importance and load losses of
//   Shazeer et al. (2017) at weight 0.1 each (`NoisyTopKGate`, chapter 8);
// - Switch: the single most probable expert, at most ceil(c N / E) inputs of a batch of N per expert
//   with capacity factor c = 1, and the load-balancing loss E sum_i f_i P_i of Fedus et al. (2021)
//   at weight 1 (`SwitchRouter`). An input beyond an expert's capacity is dropped: no expert
//   computes it and the mixture outputs zeros for it.
//
// All three start from the same experts and gate scores (same seed), and train with Adam (learning
// rate 3e-3), cross-entropy plus the router's auxiliary loss, mini-batches of 64.

// %%
var dataGenerator = SeededGenerator(seed: chapter.seed)
let digits = try Digits.load()
let (training, _, test) = try digits.split(validation: 0, test: 0.25, using: &dataGenerator)
let expertCount = 8
let epochs = chapter.epochs(quick: 3)

enum RouterKind: CaseIterable {
  case softmax, noisyTopTwo, switchCapacityOne

  var name: String {
    switch self {
    case .softmax: return "softmax"
    case .noisyTopTwo: return "noisy top-2"
    case .switchCapacityOne: return "Switch, c = 1"
    }
  }

  var fileName: String {
    switch self {
    case .softmax: return "softmax"
    case .noisyTopTwo: return "noisy-top-2"
    case .switchCapacityOne: return "switch"
    }
  }
}

/// 8 experts 64-16-10 and a router from `seed` (experts first, then the router's scores).
func makeMixture(_ kind: RouterKind, seed: UInt64) throws -> MixtureOfExperts {
  var generator = SeededGenerator(seed: seed)
  let experts = FeedForwardExpert.make(
    count: expertCount, inputSize: 64, hiddenSize: 16, outputSize: 10, using: &generator)
  let router: any Router
  switch kind {
  case .softmax: router = try SoftmaxGate(inputSize: 64, expertCount: expertCount, using: &generator)
  case .noisyTopTwo:
    router = try NoisyTopKGate(inputSize: 64, expertCount: expertCount, k: 2, seed: seed &+ 7, using: &generator)
  case .switchCapacityOne:
    router = try SwitchRouter(inputSize: 64, expertCount: expertCount, capacityFactor: 1, using: &generator)
  }
  return MixtureOfExperts(experts: experts, gate: router)
}

/// Cross-entropy plus the router's auxiliary loss.
func trainingLoss(_ kind: RouterKind, _ output: Tensor, _ labels: [Int], _ routing: RoutingRecord) throws -> Tensor {
  let crossEntropyLoss = crossEntropy(output, labels: labels)
  switch kind {
  case .softmax: return crossEntropyLoss
  case .noisyTopTwo: return crossEntropyLoss + 0.1 * importanceLoss(routing) + 0.1 * (try loadLoss(routing))
  case .switchCapacityOne: return crossEntropyLoss + 1.0 * loadBalancingLoss(routing)
  }
}

func train(_ kind: RouterKind, seed: UInt64, on training: LabelledDataset) throws -> MixtureOfExperts {
  let mixture = try makeMixture(kind, seed: seed)
  let optimizer = Adam(parameters: mixture.parameters, learningRate: 3e-3)
  var batchOrder = SeededGenerator(seed: seed &+ 1000)
  try fit(
    model: mixture, optimizer: optimizer, epochs: epochs,
    batches: { _ in try training.batches(size: 64, using: &batchOrder) },
    forward: { batch in
      let (output, routing) = mixture.forward(batch.inputs)
      return (output, routing)
    },
    loss: { batch, output, routing in try trainingLoss(kind, output, batch.labels, routing!) })
  mixture.eval()
  return mixture
}

let kinds = RouterKind.allCases
let mixtures = try kinds.map { try train($0, seed: chapter.seed, on: training) }
let testBatches = try test.batches(size: 64)
print("digits: \(digits.count), training: \(training.count), test: \(test.count); \(epochs) epochs")
print("test batches of 64: \(testBatches.map(\.count))")
printTable(
  header: ["router", "parameters", "experts run per input"],
  rows: zip(kinds, mixtures).map { kind, mixture in
    let record = withoutGradients { mixture.forward(test.inputs).routing }
    return [
      kind.name, String(mixture.parameterCount), format(record.computeFraction * Double(expertCount), decimals: 2),
    ]
  })

// %% [markdown]
// The three mixtures have the same experts; the noisy gate has a second `8 x 64` weight for its
// noise scale, hence its extra parameters. The dense gate runs all 8 experts on every input, noisy
// top-2 runs 2, and Switch at most 1 (fewer when it drops inputs). The test set is evaluated in
// batches of 64 in data set order, as a `DataLoader` without shuffling would: seven full batches
// and a last one of 3 inputs.
//
// ## The slide's evaluation, in Swift
//
// Here is `evaluate_mome` line by line. One line cannot be copied as it stands: `nn.MSELoss()` of
// outputs [B, 10] and integer targets [B] broadcasts the targets against the class axis, which
// fails unless B is 10 (or 1), and then compares the wrong numbers. The version that runs, and that
// a student meets when they make the slide's code work, turns the labels into floats of shape [B,
// 1]: the loss is then the mean over the batch and the 10 classes of (score - label)^2.

// %%
/// What the slide's `evaluate_mome` prints.
struct SlideEvaluation {
  var averageLoss: Double
  var accuracy: Double
  var expertActivations: [Int]
}

/// Slide 14's evaluation, with the PyTorch line beside each Swift one.
func slideEvaluate(_ model: MixtureOfExperts, _ testLoader: [LabelledBatch], datasetCount: Int) -> SlideEvaluation {
  model.eval()  // model.eval()
  var totalLoss = 0.0  // total_loss = 0
  var correct = 0  // correct = 0
  var expertActivations = [Int](repeating: 0, count: model.experts.count)  // [0] * len(model.experts)
  let gatingNetwork = (model.gate as! any ScoringRouter).scores
  withoutGradients {  // with torch.no_grad():
    for batch in testLoader {  // for inputs, targets in test_loader:
      let outputs = model(batch.inputs)  // outputs = model(inputs)
      let targets = Tensor(shape: [batch.count, 1], scalars: batch.labels.map(Float.init))
      let loss = ((outputs - targets).squared()).mean()  // loss = criterion(outputs, targets)
      totalLoss += Double(loss.item)  // total_loss += loss.item()
      let predicted = outputs.argmax(axis: 1)  // _, predicted = torch.max(outputs, 1)
      correct += zip(predicted, batch.labels).filter { $0 == $1 }.count  // correct += (predicted == targets).sum()
      let gatingWeights = gatingNetwork(batch.inputs, router: "slide")  // model.gating_network(inputs)
      for expertIndex in gatingWeights.argmax(axis: 1) {  // _, max_expert = torch.max(gating_weights, 1)
        expertActivations[expertIndex] += 1  // expert_activations[expert_idx] += 1
      }
    }
  }
  return SlideEvaluation(
    averageLoss: totalLoss / Double(testLoader.count),  // total_loss / len(test_loader)
    accuracy: Double(correct) / Double(datasetCount),  // correct / len(test_loader.dataset)
    expertActivations: expertActivations)
}

let slideResults = mixtures.map { slideEvaluate($0, testBatches, datasetCount: test.count) }
for (kind, result) in zip(kinds, slideResults) {
  print("\(kind.name): Average Loss: \(format(result.averageLoss, decimals: 4))")
  print("\(kind.name): Accuracy: \(format(result.accuracy, decimals: 4))")
  print("\(kind.name): Expert Activations: \(result.expertActivations)")
}
chapter.report("slide accuracy", slideResults.map(\.accuracy), decimals: 4)
chapter.report("slide average loss", slideResults.map(\.averageLoss), decimals: 4)

// %% [markdown]
// The accuracies are right: 0.9778, 0.9690 and 0.8182, correct answers over the 451 test inputs.
// The losses say the opposite of the accuracies: 161.1542 for the best classifier, 63.6980 for the
// worst. The activation counts say the softmax gate never picks experts 4, 5 and 6, and that the
// Switch router spreads the inputs evenly. Each of these needs a closer look.
//
// ## Flaw 1: a regression loss on class scores
//
// Class scores are logits: only their differences matter (softmax is unchanged by adding a constant
// to every score), and training with cross-entropy never asks a score to be near the label's
// number. The slide's MSE asks every one of the 10 scores of an image of a 7 to be near 7. It
// measures how far the scores are from the digit's value, so it depends on the label's value: the
// table splits the test set by true class, with the accuracy and the cross-entropy of the same rows
// beside it.
//
//     cross-entropy(x, c) = logsumexp(s(x)) - s_c(x)      (the loss the mixtures were trained on)

// %%
/// Per-row losses of class scores [N, C] against labels: the slide's (score - label)^2 averaged over
/// the classes, and the cross-entropy; plus whether the row's arg-max is its label.
func perRowLosses(scores: [Float], classes: Int, labels: [Int]) -> (
  mse: [Double], crossEntropy: [Double], correct: [Bool]
) {
  var mse: [Double] = []
  var crossEntropyRows: [Double] = []
  var correct: [Bool] = []
  for (row, label) in labels.enumerated() {
    let rowScores = scores[(row * classes)..<((row + 1) * classes)].map(Double.init)
    mse.append(rowScores.reduce(0) { $0 + ($1 - Double(label)) * ($1 - Double(label)) } / Double(classes))
    let largest = rowScores.max()!
    let logSumExp = largest + log(rowScores.reduce(0) { $0 + exp($1 - largest) })
    crossEntropyRows.append(logSumExp - rowScores[label])
    correct.append(rowScores.firstIndex(of: largest) == label)
  }
  return (mse, crossEntropyRows, correct)
}

func perRowLosses(_ model: MixtureOfExperts, _ data: LabelledDataset) -> (
  mse: [Double], crossEntropy: [Double], correct: [Bool]
) {
  perRowLosses(scores: withoutGradients { model(data.inputs) }.scalars, classes: 10, labels: data.labels)
}

func mean(_ values: [Double]) -> Double { values.reduce(0, +) / Double(max(values.count, 1)) }

let denseRows = perRowLosses(mixtures[0], test)
var classRows: [[String]] = []
var mseByClass: [Double] = []
var crossEntropyByClass: [Double] = []
for digit in 0..<10 {
  let rows = test.labels.indices.filter { test.labels[$0] == digit }
  mseByClass.append(mean(rows.map { denseRows.mse[$0] }))
  crossEntropyByClass.append(mean(rows.map { denseRows.crossEntropy[$0] }))
  classRows.append([
    String(digit), String(rows.count), formatPercent(mean(rows.map { denseRows.correct[$0] ? 1 : 0 })),
    format(mseByClass[digit], decimals: 2), format(crossEntropyByClass[digit], decimals: 4),
  ])
}
printTable(header: ["true class", "test inputs", "accuracy", "slide's MSE", "cross-entropy"], rows: classRows)
chapter.report("softmax mse by class", mseByClass, decimals: 2)
chapter.report("softmax cross-entropy by class", crossEntropyByClass, decimals: 4)

// %% [markdown]
// The softmax mixture gets between 93.3% and 100.0% of every digit right, and the slide's MSE of
// the same rows lies between 59.55 (the 0s) and 256.68 (the 6s): a confident, correct answer has a
// large score for the right class and low ones for the others, all far from the label's number.
// Cross-entropy, the loss the mixture was trained on, is between 0.0028 and 0.1771, small where the
// answers are right. Across models the slide's loss ranks the three mixtures in the reverse order
// of their accuracy (161.1542, 77.9111 and 63.6980 above): it rewards scores that happen to lie
// near the labels' numbers, not right answers. The chapter uses cross-entropy from here on.
//
// ## Flaw 2: the mean of batch means
//
// `total_loss / len(test_loader)` averages the batches' mean losses. With batches of different
// sizes that is not the mean over inputs: each of the 3 inputs of the last batch weighs as much as
// 64/3 inputs of a full batch. The mean per input is
//
//     L = sum over batches b of n_b L_b / sum over b of n_b        (n_b: inputs in batch b)
//
// which `evaluate` computes. The table compares both for the cross-entropy, computed batch by
// batch from the same per-row losses.

// %%
var averagingRows: [[String]] = []
var batchMeanGaps: [Double] = []
for (kind, mixture) in zip(kinds, mixtures) {
  var batchMeans: [Double] = []
  var rowLosses: [Double] = []
  for batch in testBatches {
    let scores = withoutGradients { mixture(batch.inputs) }.scalars
    let losses = perRowLosses(scores: scores, classes: 10, labels: batch.labels).crossEntropy
    batchMeans.append(mean(losses))
    rowLosses += losses
  }
  let meanOfBatchMeans = mean(batchMeans)
  let perInput = mean(rowLosses)
  batchMeanGaps.append(meanOfBatchMeans - perInput)
  averagingRows.append([
    kind.name, format(meanOfBatchMeans, decimals: 4), format(perInput, decimals: 4),
    format(batchMeans.last!, decimals: 4),
  ])
}
printTable(
  header: ["router", "mean of batch means", "mean per input", "last batch (3 inputs)"], rows: averagingRows)
chapter.report("mean of batch means minus mean per input", batchMeanGaps, decimals: 4)

// %% [markdown]
// The gap is the last batch's weight: 1/8 of the average instead of 3/451. For the softmax and
// top-2 mixtures its three digits are easy (0.0021 and 0.0040), and the slide's average comes out
// lower than the mean per input (0.0659 against 0.0745, 0.0929 against 0.1049); for the Switch
// mixture the last batch is hard (0.8063) and the slide's average comes out higher (0.5422 against
// 0.5065). Which inputs land in the short last batch decides the error's sign. The accuracy line
// does not have this problem: `len(test_loader.dataset)` counts inputs, not batches.
//
// ## Flaw 3: activations counted from the gate's logits
//
// `torch.max(model.gating_network(inputs), 1)` is the expert with the largest score. For the
// softmax gate that is also the most probable expert (softmax keeps the order of the scores, at any
// temperature), so the count is the gate's first choice per input. It is not what the mixture
// computed: a dense gate runs every expert on every input, top-2 runs two, and a Switch router
// skips the inputs that arrive at a full expert. The routing record says what was computed. The
// table counts each expert's test inputs both ways: *arg-max* (the slide's count, the same from the
// logits or the probabilities) and *routed* (every (input, expert) pair an expert computed).

// %%
/// Arg-max and routed counts over the test batches, from the routing records.
func activationCounts(_ mixture: MixtureOfExperts, _ batches: [LabelledBatch]) -> (
  argmax: [Int], routed: [Int], dropped: Int
) {
  var argmax = [Int](repeating: 0, count: expertCount)
  var routed = argmax
  var dropped = 0
  withoutGradients {
    for batch in batches {
      let routing = mixture.forward(batch.inputs).routing
      for (expert, count) in routing.activationCounts(.argmax).enumerated() { argmax[expert] += count }
      for (expert, count) in routing.activationCounts(.routed).enumerated() { routed[expert] += count }
      dropped += routing.droppedTokens.count
    }
  }
  return (argmax, routed, dropped)
}

let counts = mixtures.map { activationCounts($0, testBatches) }
var countRows: [[String]] = []
for expert in 0..<expertCount {
  countRows.append(
    ["expert \(expert)"] + counts.flatMap { [String($0.argmax[expert]), String($0.routed[expert])] })
}
countRows.append(["total"] + counts.flatMap { [String($0.argmax.reduce(0, +)), String($0.routed.reduce(0, +))] })
printTable(
  header: ["", "softmax arg-max", "routed", "top-2 arg-max", "routed", "Switch arg-max", "routed"], rows: countRows)
let slideCountsMatchArgmax = zip(slideResults, counts).allSatisfy { $0.expertActivations == $1.argmax }
print("the slide's counts equal the arg-max counts for all three: \(slideCountsMatchArgmax)")
let switchCounts = counts[2]
print(
  "Switch: \(switchCounts.dropped) of \(test.count) test inputs dropped, "
    + "arg-max minus routed: \(zip(switchCounts.argmax, switchCounts.routed).map { $0 - $1 })")
chapter.report("slide counts equal argmax counts", slideCountsMatchArgmax)
chapter.report("softmax argmax counts", counts[0].argmax)
chapter.report("softmax routed counts", counts[0].routed)
chapter.report("top-2 routed total", counts[1].routed.reduce(0, +))
chapter.report("switch argmax counts", switchCounts.argmax)
chapter.report("switch routed counts", switchCounts.routed)
chapter.report("switch dropped inputs", switchCounts.dropped)

// %% [markdown]
// The slide's counts are the arg-max columns, for every router. For the softmax gate the routed
// column is 451 for every expert: arg-max tells which expert the gate prefers, not which experts
// worked (the slide's zeros for experts 4, 5 and 6 are true of the gate's first choice, while those
// experts still compute every input at a small weight). Top-2 computes 902 pairs, two per input.
// For the Switch router the two counts differ by the dropped inputs: 54 of the 451 test digits
// arrived at an expert that had already taken its 8 of the batch and were computed by no expert at
// all, yet the slide counts each of them as an activation of the expert it was dropped from.
//
// What happens to a dropped input matters for the accuracy: its output is zero, and the arg-max of
// ten zeros is class 0.

// %%
/// Accuracy of the Switch mixture on the test inputs it routed and on those it dropped.
func accuracyOfRoutedAndDropped(_ mixture: MixtureOfExperts, _ batches: [LabelledBatch]) -> (
  routed: (Int, Int), dropped: (Int, Int)
) {
  var routed = (correct: 0, count: 0)
  var dropped = (correct: 0, count: 0)
  withoutGradients {
    for batch in batches {
      let (output, routing) = mixture.forward(batch.inputs)
      let droppedRows = Set(routing.droppedTokens)
      for (row, (guess, label)) in zip(output.argmax(axis: 1), batch.labels).enumerated() {
        if droppedRows.contains(row) {
          dropped.count += 1
          dropped.correct += guess == label ? 1 : 0
        } else {
          routed.count += 1
          routed.correct += guess == label ? 1 : 0
        }
      }
    }
  }
  return ((routed.correct, routed.count), (dropped.correct, dropped.count))
}

let switchSplit = accuracyOfRoutedAndDropped(mixtures[2], testBatches)
let routedAccuracy = Double(switchSplit.routed.0) / Double(max(switchSplit.routed.1, 1))
let droppedAccuracy = Double(switchSplit.dropped.0) / Double(max(switchSplit.dropped.1, 1))
printTable(
  header: ["Switch test inputs", "count", "correct", "accuracy"],
  rows: [
    [
      "routed to an expert", String(switchSplit.routed.1), String(switchSplit.routed.0),
      formatPercent(routedAccuracy),
    ],
    ["dropped", String(switchSplit.dropped.1), String(switchSplit.dropped.0), formatPercent(droppedAccuracy)],
  ])
chapter.report("switch accuracy routed", routedAccuracy, decimals: 3)
chapter.report("switch accuracy dropped", droppedAccuracy, decimals: 3)

let wholeTestSet = try evaluate(
  model: mixtures[2], batches: [try test.batches(size: test.count)[0]],
  forward: { batch in
    let (output, routing) = mixtures[2].forward(batch.inputs)
    return (output, routing)
  }, labels: { $0.labels })
let wholeTestSetCapacity = (mixtures[2].gate as! SwitchRouter).capacity(tokens: test.count)
print(
  "Switch on the test set as one batch of \(test.count) (capacity \(wholeTestSetCapacity)): "
    + "\(formatPercent(wholeTestSet.routing!.droppedTokenFraction)) dropped, "
    + "accuracy \(formatPercent(wholeTestSet.accuracy!))"
)
chapter.report("switch one batch dropped fraction", wholeTestSet.routing!.droppedTokenFraction, decimals: 3)
chapter.report("switch one batch accuracy", wholeTestSet.accuracy!, decimals: 3)

// %% [markdown]
// The dropped inputs are right only when they happen to be 0s: 4 of 54, 7.4%. The routed ones reach
// 91.9%, still below the other mixtures (training with capacity 1 drops inputs too, so each expert
// learned from fewer of them). The slide's count hides exactly the inputs that pull the Switch
// mixture's accuracy down from 91.9% to 81.8%.
//
// Capacity is per batch, ceil(c N / E): 8 for a batch of 64, 1 for the last batch of 3, and 57 for
// the whole test set at once. The same parameters then drop 3.3% of the inputs instead of 12.0% and
// reach 89.4% instead of 81.8%. A capacity router's test accuracy depends on the evaluation's batch
// size; report it with the numbers (exercise 1).
//
// ## Everything an evaluation should report
//
// The library's `evaluate` runs a model over batches in evaluation mode without recording gradients
// and returns an `EvaluationReport`. Beside the loss per input and the accuracy, it reads the
// routing record of every batch:
//
// - utilization: each expert's share s_e of the activations, arg-max and routed;
// - utilization entropy H = -sum_e s_e log s_e (log 8 = 2.08 when all 8 experts are used equally, 0
//   when one takes everything) and the effective number of experts exp(H), between 1 and 8;
// - the class-by-expert matrix (inputs of class c whose arg-max expert is e) and its specialization
//   I(class; expert) / H(class): 1 when each expert sees one class, 0 when the expert says nothing
//   about the class;
// - the gate's entropy per input, H(g(x)) = -sum_e g_e(x) log g_e(x), its mean and a histogram;
// - accuracy binned by the gate's confidence max_e g_e(x), which lies between 1/8 and 1.
//
// The comparison table puts the three mixtures side by side.

// %%
@MainActor func evaluation(_ mixture: MixtureOfExperts) throws -> EvaluationReport {
  try evaluate(
    model: mixture, batches: testBatches,
    forward: { batch in
      let (output, routing) = mixture.forward(batch.inputs)
      return (output, routing)
    }, labels: { $0.labels }, classNames: Digits.classNames,
    loss: { batch, output, _ in crossEntropy(output, labels: batch.labels) }, confidenceBins: 10)
}

let reports = try mixtures.map(evaluation)
func comparisonRow(_ name: String, _ value: (EvaluationReport) -> String) -> [String] {
  [name] + reports.map(value)
}
printTable(
  header: ["measure"] + kinds.map(\.name),
  rows: [
    comparisonRow("test accuracy") { formatPercent($0.accuracy!) },
    comparisonRow("cross-entropy per input") { format($0.loss!, decimals: 4) },
    comparisonRow("expert evaluations / (inputs x experts)") { format($0.routing!.computeFraction, decimals: 3) },
    comparisonRow("dropped inputs") { formatPercent($0.routing!.droppedTokenFraction) },
    comparisonRow("utilization entropy, arg-max") { format($0.routing!.argmax.entropy, decimals: 3) },
    comparisonRow("utilization entropy, routed") { format($0.routing!.routed.entropy, decimals: 3) },
    comparisonRow("effective experts, arg-max") { format($0.routing!.argmax.effectiveExpertCount, decimals: 2) },
    comparisonRow("effective experts, routed") { format($0.routing!.routed.effectiveExpertCount, decimals: 2) },
    comparisonRow("mean gate entropy") { format($0.routing!.meanGateEntropy, decimals: 3) },
    comparisonRow("specialization") { format($0.routing!.specialization!, decimals: 3) },
  ])
chapter.report("test accuracy", reports.map { $0.accuracy! }, decimals: 3)
chapter.report("test cross-entropy", reports.map { $0.loss! }, decimals: 4)
chapter.report("effective experts argmax", reports.map { $0.routing!.argmax.effectiveExpertCount }, decimals: 2)
chapter.report("effective experts routed", reports.map { $0.routing!.routed.effectiveExpertCount }, decimals: 2)
chapter.report("mean gate entropy", reports.map { $0.routing!.meanGateEntropy }, decimals: 3)
chapter.report("specialization", reports.map { $0.routing!.specialization! }, decimals: 3)
chapter.report("dropped fraction", reports.map { $0.routing!.droppedTokenFraction }, decimals: 3)

// %% [markdown]
// Read down a column, and each mixture has its own story. The softmax mixture is the most accurate
// (97.8%, cross-entropy 0.0745) and the most expensive: every expert on every input (compute
// fraction 1.000), so its routed utilization is uniform by construction (8.00 effective experts)
// and says nothing; its arg-max utilization says the gate favours 4.87 experts' worth of them.
// Noisy top-2 runs a quarter of the expert work for 96.9%, and its balancing losses spread both
// counts over nearly all 8 experts (7.76 and 7.99). The Switch mixture does the least work (0.110,
// below 1/8 because of the 12.0% it drops) and pays for it with 81.8%. Balanced utilization does
// not mean a good model: the Switch router's is the most even of the three (7.96 arg-max).
//
// Specialization, I(class; expert) / H(class), rises from 0.514 to 0.569 and 0.622: here the expert
// a sparse router picks tells more about the class than the dense gate's first choice (a dense
// gate does not have to choose). The mean gate entropy (1.150, 1.807, 1.902, of at most 2.08) shows
// the two sparse gates, trained with balancing losses, close to uniform on each input.
//
// ## Per-class accuracy and the confusion matrix
//
// One accuracy hides which digits a model confuses. The confusion matrix counts, for each true
// class (row), the predicted classes (columns); its diagonal holds the correct answers, and the
// per-class accuracy is the diagonal over the row's total.

// %%
var perClassRows: [[String]] = []
for (index, name) in Digits.classNames.enumerated() {
  perClassRows.append([name] + reports.map { formatPercent($0.perClassAccuracy![index]!) })
}
printTable(header: ["class"] + kinds.map(\.name), rows: perClassRows)
let switchConfusion = reports[2].confusionMatrix!
let switchPredictedZero = switchConfusion.map { $0[0] }.reduce(0, +)
print("Switch: \(switchPredictedZero) test inputs predicted as 0, of which \(switchConfusion[0][0]) are 0s")
chapter.report("switch predicted as 0", switchPredictedZero)
var confusionFigure = FigureGrid(
  rows: 1, columns: 2, title: "Confusion matrices on the test digits (rows: true class)",
  panels: [0, 2].map { index in
    Heatmap(
      title: kinds[index].name, matrix: reports[index].confusionMatrix!.map { $0.map(Double.init) },
      rowLabels: Digits.classNames, columnLabels: Digits.classNames, xLabel: "predicted class",
      yLabel: "true class", annotate: true, colorbarLabel: "test inputs")
  })
confusionFigure.panelSize = (480, 440)
chapter.saveFigure(confusionFigure, name: "confusion")

// %% [markdown]
// The Switch mixture's errors are not spread over the digits: its column 0 of predictions holds 94
// test inputs, of which 43 are 0s; the others are mostly dropped inputs and their zero outputs. The
// 0s themselves are right at 95.6%, the other digits between 69.6% and 95.6%. The softmax mixture's
// few errors are scattered (a 9 read as a 0, two 8s read as 1s).
//
// ## Which expert takes which class
//
// The class-by-expert matrix shows how each mixture divided the digits among its experts: row c
// counts the test inputs of class c by their arg-max expert. The specialization score above is its
// summary.

// %%
let classByExpertPanels = zip(kinds, reports).map { kind, report in
  Heatmap(
    title: "\(kind.name): specialization \(format(report.routing!.specialization!, decimals: 3))",
    matrix: report.routing!.classByExpert!.map { $0.map(Double.init) }, rowLabels: Digits.classNames,
    columnLabels: (0..<expertCount).map { "\($0)" }, xLabel: "arg-max expert", yLabel: "true class", annotate: true,
    colorbarLabel: "test inputs")
}
var classByExpertFigure = FigureGrid(
  rows: 3, columns: 1, title: "Test inputs by true class and arg-max expert", panels: classByExpertPanels)
classByExpertFigure.panelSize = (900, 380)
chapter.saveFigure(classByExpertFigure, name: "class-by-expert")

// %% [markdown]
// The softmax gate uses five experts as first choice and sends nearly whole digits to them (45 of
// the 46 3s to expert 0, 44 of the 45 7s to expert 2), some experts taking two or three digits
// (expert 7 most 1s, 2s and 8s). The two sparse mixtures use all 8 experts, with several digits
// split over two or three of them (the 1s and the 9s in both).
//
// ## How sure is the gate?
//
// The gate's entropy per input says whether the gate picks one expert (0) or spreads its weight
// (up to log 8 = 2.08). The histogram counts the test inputs in 10 bins of width log 8 / 10.

// %%
let entropyHistograms = reports.map { $0.routing!.gateEntropyHistogram! }
let entropyBins = entropyHistograms[0].lowerEdges.map { edge in
  "\(format(edge, decimals: 2))-\(format(edge + entropyHistograms[0].binWidth, decimals: 2))"
}
printTable(
  header: ["gate entropy (nats)"] + kinds.map(\.name),
  rows: entropyBins.enumerated().map { bin, label in [label] + entropyHistograms.map { String($0.counts[bin]) } })
var entropyChart = BarChart(
  title: "Gate entropy per test input (0: one expert; 2.08 = log 8: uniform)", groups: entropyBins,
  xLabel: "gate entropy H(g(x)) in nats", yLabel: "test inputs")
for (index, (kind, histogram)) in zip(kinds, entropyHistograms).enumerated() {
  entropyChart.add(series: kind.name, values: histogram.counts.map(Double.init), color: Palette.color(index))
}
chapter.saveFigure(entropyChart, name: "gate-entropy", width: 1000, height: 520)
chapter.report("gate entropy histograms", entropyHistograms.flatMap(\.counts))

// %% [markdown]
// The three gates are sure of themselves to very different degrees. The softmax gate's entropy
// spreads from 0.21 to 1.66 nats, most inputs between 1.04 and 1.46: it leans clearly towards one
// or two experts. The noisy top-2 and Switch gates sit near the uniform end (most inputs above 1.66
// and 1.87). Their balancing losses ask for equal average probabilities of 1/8; here the gates also
// come out nearly flat on each input, so the choice rests on small differences between nearly
// equal probabilities. A sharper sparse gate would need a loss that asks for it (the gate-entropy
// term of chapter 13; exercise 5).
//
// ## Does a confident gate go with a correct answer?
//
// If the gate is sure of its expert, is the answer more often right? The report bins the test
// inputs by the gate's confidence max_e g_e(x) into bins between 1/8 and 1 (`confidenceBins: 10` in
// the call above) and gives the accuracy in each. A second summary, less at the mercy of nearly
// empty bins: the accuracy of the less confident half of the test inputs against the more confident
// half.

// %%
let confidenceBins = reports.map { $0.routing!.accuracyByConfidence! }
let confidenceLabels = confidenceBins[0].map { "\(format($0.lower, decimals: 3))-\(format($0.upper, decimals: 3))" }
var confidenceRows: [[String]] = []
for (bin, label) in confidenceLabels.enumerated() {
  confidenceRows.append(
    [label]
      + confidenceBins.flatMap { bins in
        [String(bins[bin].count), bins[bin].accuracy.map { formatPercent($0) } ?? "-"]
      })
}
printTable(
  header: ["gate confidence", "softmax inputs", "accuracy", "top-2 inputs", "accuracy", "Switch inputs", "accuracy"],
  rows: confidenceRows)
var confidencePlot = LinePlot(
  title: "Test accuracy by the gate's confidence (bins of at least 5 inputs)",
  xLabel: "gate confidence max_e g_e(x), middle of the bin", yLabel: "accuracy")
confidencePlot.showMarkers = true
confidencePlot.xRange = 0...1
for (index, (kind, bins)) in zip(kinds, confidenceBins).enumerated() {
  let shown = bins.filter { $0.count >= 5 }
  confidencePlot.add(
    series: kind.name, x: shown.map { ($0.lower + $0.upper) / 2 }, y: shown.map { $0.accuracy! },
    color: Palette.color(index))
}
chapter.saveFigure(confidencePlot, name: "accuracy-by-confidence", width: 1000, height: 520)
for (kind, bins) in zip(kinds, confidenceBins) {
  chapter.report("\(kind.fileName) confidence bin counts", bins.map(\.count))
}

/// Accuracy of the test inputs below and above the median gate confidence (test batches of 64).
func accuracyByConfidenceHalf(_ mixture: MixtureOfExperts, _ batches: [LabelledBatch]) throws -> (
  less: Double, more: Double
) {
  var confidences: [Double] = []
  var correct: [Double] = []
  for batch in batches {
    let (output, routing) = withoutGradients { mixture.forward(batch.inputs) }
    confidences += try gateConfidences(routing.probabilities)
    correct += zip(output.argmax(axis: 1), batch.labels).map { $0 == $1 ? 1.0 : 0.0 }
  }
  let order = confidences.indices.sorted {
    confidences[$0] < confidences[$1] || (confidences[$0] == confidences[$1] && $0 < $1)
  }
  let half = order.count / 2
  return (mean(order[..<half].map { correct[$0] }), mean(order[half...].map { correct[$0] }))
}

let halves = try mixtures.map { try accuracyByConfidenceHalf($0, testBatches) }
printTable(
  header: ["router", "accuracy, less confident half", "accuracy, more confident half"],
  rows: zip(kinds, halves).map { [$0.name, formatPercent($1.less), formatPercent($1.more)] })
chapter.report("accuracy less confident half", halves.map(\.less), decimals: 3)
chapter.report("accuracy more confident half", halves.map(\.more), decimals: 3)

// %% [markdown]
// For all three mixtures the answer is more often right where the gate is surer. The less
// confident half of the test inputs gets 97.3%, 94.7% and 74.7%, the more confident half 98.2%,
// 99.1% and 88.9%. The lowest bins are the clearest: the Switch mixture's 54 least confident inputs
// are right at 57.4%, the top-2 mixture's 20 at 80.0%. One reading: an input the gate cannot place
// lies between the regions the experts learned, and is hard for the experts too; the run shows the
// association, not its cause. The figure shows the bins with at least 5 inputs.
//
// One seed could be luck. The same three mixtures from other seeds (another initialization and
// batch order each), measured the same way:

// %%
let otherSeeds: [UInt64] = chapter.quick ? [1] : [1, 2, 3]
var seedRows: [[String]] = []
var moreConfidentHalfBetter = zip(halves.map(\.more), halves.map(\.less)).map { $0 > $1 }
var switchDropsOnEverySeed = switchCounts.dropped > 0
for seed in otherSeeds {
  let seedMixtures = try kinds.map { try train($0, seed: seed, on: training) }
  let seedHalves = try seedMixtures.map { try accuracyByConfidenceHalf($0, testBatches) }
  let dropped = activationCounts(seedMixtures[2], testBatches).dropped
  let accuracies = try seedMixtures.map { try evaluation($0).accuracy! }
  let slideLosses = seedMixtures.map { slideEvaluate($0, testBatches, datasetCount: test.count).averageLoss }
  moreConfidentHalfBetter = zip(moreConfidentHalfBetter, seedHalves).map { $0 && $1.more > $1.less }
  switchDropsOnEverySeed = switchDropsOnEverySeed && dropped > 0
  seedRows.append(
    [String(seed)] + accuracies.map { formatPercent($0) } + slideLosses.map { format($0, decimals: 1) }
      + [String(dropped)] + seedHalves.map { "\(formatPercent($0.less)) / \(formatPercent($0.more))" })
}
printTable(
  header: [
    "seed", "accuracy softmax", "top-2", "Switch", "slide's loss softmax", "top-2", "Switch", "Switch dropped",
    "less / more confident: softmax", "top-2", "Switch",
  ],
  rows: seedRows)
print(
  "more confident half more accurate on every seed: "
    + zip(kinds, moreConfidentHalfBetter).map { "\($0.name) \($1)" }.joined(separator: ", ")
)
chapter.report("more confident half more accurate on every seed", moreConfidentHalfBetter.map { $0 ? 1 : 0 })
chapter.report("switch drops on every seed", switchDropsOnEverySeed)

// %% [markdown]
// On every seed the Switch mixture is the least accurate and has the slide's lowest loss, its
// router drops between 46 and 54 test inputs, and the more confident half of the inputs is the
// more accurate one for all three mixtures.
//
// ## The one-call report
//
// The comparison table, the confusion matrices, the class-by-expert matrices, the entropy histogram
// and the confidence bins all came from one `evaluate` call per mixture. `report.table()` prints it
// (four decimals), and `report.writeCSV(to:)` saves every number as `metric,value` lines, for a
// spreadsheet or a plot elsewhere. The Switch mixture's report:

// %%
print(reports[2].table())
for (kind, report) in zip(kinds, reports) {
  let name = "evaluation-\(kind.fileName).csv"
  try report.writeCSV(to: chapter.figuresFolder + "/" + name)
  print("\(name): \(report.csv().split(separator: "\n").count) lines, in the run's figures folder")
}

// %% [markdown]
// The CSV files land in the run's figures folder (`Figures/chapter-14/` unless `--figures` says
// otherwise), never among the lesson's files.
//
// ## Summary
//
// - The slide's MSE between class scores and labels measures the scores' distance from the labels'
//   numbers: 59.55 to 256.68 per class for a mixture that gets 93.3% to 100.0% of every class right,
//   and on every seed it is lowest for the least accurate mixture. Use cross-entropy.
// - Averaging batch means weights the last batch's 3 inputs as 1/8 of the test set: 0.0659 instead
//   of 0.0745, or 0.5422 instead of 0.5065, depending on the last batch. Weight batches by their
//   size, as `evaluate` does. The slide's accuracy, over `len(test_loader.dataset)`, is right.
// - Counting activations from the gate's logits gives the gate's first choice, which for a softmax
//   gate is the arg-max of its probabilities. It ignores what was computed: every expert for a dense
//   gate, two for top-2, and nothing for the 54 inputs a Switch router with capacity factor 1
//   dropped, which then score 7.4%. Count routed pairs from the routing record, beside arg-max.
// - A mixture's evaluation reports both counts' entropy and effective number of experts, the
//   class-by-expert matrix and its specialization (0.514, 0.569, 0.622 here), the gate's entropy per
//   input, and accuracy by gate confidence, which here rises with the confidence for all three
//   mixtures and seeds.
// - `evaluate` returns all of it in one `EvaluationReport`, printed with `table()` and saved with
//   `writeCSV(to:)`.
//
// ## Exercises
//
// Exercises 6, 7 and 8 check themselves. Write your answers in `Exercises.swift`, beside this
// lesson (a stub per exercise, whose comment restates the task), and run `make check-14`: it prints
// one line per exercise, `passed`, `not yet` with the input it tried and the value it expected, or
// `not done yet`. The other exercises are for thinking and trying; the [teachers'
// page](../TEACHERS.md) discusses all of them.
//
// 1. Capacity at evaluation. Evaluate the Switch mixture with test batches of `16`, `64`, `256` and
//    the whole test set. Print the dropped share and the accuracy for each. Which batch size matches
//    how the model was trained, and which would you report? Then evaluate with `capacityFactor`
//    `2` (build a `SwitchRouter` with the trained router's weights, as chapter 8 does for expert
//    choice).
// 2. The classifier's own confidence. Bin the accuracy by max_c softmax(s(x))_c, the probability
//    of the predicted class, instead of the gate's confidence (`accuracyByConfidence` with
//    `lower: 0.1`). Which of the two says more about whether an answer is right?
// 3. Noise at evaluation. Put the noisy top-2 gate back in training mode (`setTraining(true)` on
// the
//    gate only) and count activations both ways. How often does the routed first expert differ from
//    the arg-max of the clean scores? Which mode should an evaluation use, and why?
// 4. Train the slide's way. Train the softmax mixture on the slide's MSE against the labels'
//    numbers instead of cross-entropy and evaluate it with `evaluate`. What accuracy does it reach,
//    and what does its confusion matrix show?
// 5. Sharper sparse gates. Add `0.01 * gateEntropy(routing)` to the Switch mixture's loss and
//    compare the gate-entropy histogram, the specialization and the accuracy by confidence.
// 6. *(checked)* The mean per input. From each batch's mean loss and its number of inputs, return
//    the mean loss per input (`meanLossPerInput`), the fix of the slide's `total_loss /
//    len(test_loader)`. The first batches the checker tries are the lesson's: seven of 64 and one
//    of 3.
// 7. *(checked)* Both counts of a Switch router. From gate scores [N, E] and a capacity factor,
//    count each expert's tokens by arg-max (the slide's count) and as routed, with capacity
//    ceil(c N / E) served in token order (`switchActivations`). The checker compares with
//    `SwitchRouter`'s routing.
// 8. *(checked)* Accuracy by gate confidence. Put each input's confidence in one of `bins` equal
//    bins over [1/E, 1] and count the inputs and the correct ones in each (`confidenceBins`). The
//    checker compares with the library's `accuracyByConfidence`, which the report uses.
