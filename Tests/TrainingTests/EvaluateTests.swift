import MoE
import NeuralNetworks
import Testing
import Training

#if canImport(Glibc)
  import Glibc
#endif

struct LabelledRows {
  let inputs: Tensor
  let labels: [Int]
}

/// Two experts that each output a constant vote (expert 0: [1, 0], expert 1: [0, 1]) and a softmax
/// gate with logits [ln 3, 0] for x = [1, 0] and [0, ln 3] for x = [0, 1]: the output is the gate's
/// probabilities, [0.75, 0.25] or [0.25, 0.75], so the prediction is the gate's arg-max expert.
func handMadeMixture() throws -> MixtureOfExperts {
  var generator = SeededGenerator(seed: 0)
  let votes: [[Float]] = [[1, 0], [0, 1]]
  let experts = votes.map { vote in
    Linear(weight: Tensor.zeros([2, 2], requiresGrad: true), bias: Tensor(vote, requiresGrad: true)) as any Layer
  }
  let gate = try SoftmaxGate(inputSize: 2, expertCount: 2, using: &generator)
  gate.weight.assign(Tensor(rows: [[Float(log(3.0)), 0], [0, Float(log(3.0))]]))
  gate.bias.assign(Tensor([0, 0]))
  return MixtureOfExperts(experts: experts, gate: gate)
}

@Suite struct EvaluateTests {
  /// Four rows: x = [1, 0] labelled 0 and 1, x = [0, 1] labelled 1 twice, in batches of 3 and 1.
  let batches = [
    LabelledRows(inputs: Tensor(rows: [[1, 0], [1, 0], [0, 1]]), labels: [0, 1, 1]),
    LabelledRows(inputs: Tensor(rows: [[0, 1]]), labels: [1]),
  ]

  @Test func everyNumberOfATinyMixtureMatchesTheHandComputation() throws {
    let mixture = try handMadeMixture()
    let report = try evaluate(
      model: mixture, batches: batches, forward: { batch in mixture.forward(batch.inputs) }, labels: \.labels,
      classNames: ["left", "right"], loss: { batch, output, _ in crossEntropy(output, labels: batch.labels) })

    // Predictions 0, 0, 1, 1 against labels 0, 1, 1, 1.
    #expect(report.sampleCount == 4)
    #expect(report.accuracy == 0.75)
    #expect(report.confusionMatrix == [[1, 0], [1, 2]])
    #expect(report.perClassAccuracy! == [1.0, 2.0 / 3])
    // Cross-entropy of logits [0.75, 0.25]: the right class costs log(1 + e^-0.5), the wrong one log(1 + e^0.5).
    let right = log(1 + exp(-0.5))
    let wrong = log(1 + exp(0.5))
    #expect(isClose(report.loss!, (3 * right + wrong) / 4, tolerance: 1e-6))

    let routing = try #require(report.routing)
    #expect(routing.tokenCount == 4 && routing.expertCount == 2)
    #expect(routing.argmax.counts == [2, 2] && routing.argmax.shares == [0.5, 0.5])
    #expect(routing.routed.counts == [4, 4], "a dense gate computes every pair")
    #expect(isClose(routing.argmax.entropy, log(2)) && isClose(routing.argmax.effectiveExpertCount, 2))
    #expect(isClose(routing.meanGateEntropy, -(0.75 * log(0.75) + 0.25 * log(0.25)), tolerance: 1e-6))
    #expect(routing.computeFraction == 1 && routing.droppedTokenFraction == 0 && routing.unroutedTokenFraction == 0)
    // Class "left" went to expert 0 once; class "right" to expert 0 once and expert 1 twice.
    #expect(routing.classByExpert == [[1, 0], [1, 2]])
    // I(class; expert) / H(class) with p(c, e) = 1/4, 0, 1/4, 1/2; p(c) = 1/4, 3/4; p(e) = 1/2, 1/2.
    let information = 0.25 * log(0.25 / (0.25 * 0.5)) + 0.25 * log(0.25 / (0.75 * 0.5)) + 0.5 * log(0.5 / (0.75 * 0.5))
    let classEntropy = -(0.25 * log(0.25) + 0.75 * log(0.75))
    #expect(isClose(routing.specialization!, information / classEntropy))
  }

  @Test func evaluationRunsInEvalModeWithoutGradientsAndRestoresTheMode() throws {
    var generator = SeededGenerator(seed: 3)
    let model = Sequential(
      Linear(2, 4, using: &generator), Dropout(probability: 0.5, seed: 1), Linear(4, 2, using: &generator))
    for startsTraining in [true, false] {
      model.setTraining(startsTraining)
      model.zeroGrad()
      var modesSeen: [Bool] = []
      var gradientsRecorded: [Bool] = []
      let report = try evaluate(
        model: model, batches: batches,
        forward: { batch in
          modesSeen.append(model.isTraining)
          gradientsRecorded.append(GradientMode.isEnabled)
          return (model(batch.inputs), nil)
        }, labels: \.labels, loss: { batch, output, _ in crossEntropy(output, labels: batch.labels) })
      #expect(modesSeen == [false, false] && gradientsRecorded == [false, false])
      #expect(model.isTraining == startsTraining)
      #expect(model.parameters.allSatisfy { $0.grad == nil })
      #expect(report.routing == nil && report.classNames == ["0", "1"])
    }
  }

  @Test func labelsThatDoNotFitTheOutputAreNamed() throws {
    let mixture = try handMadeMixture()
    let bad = [LabelledRows(inputs: Tensor(rows: [[1, 0]]), labels: [2])]
    #expect(throws: TrainingError.inconsistentBatch(batch: 0, detail: "label 2 outside 0..<2")) {
      try evaluate(model: mixture, batches: bad, forward: { mixture.forward($0.inputs) }, labels: \.labels)
    }
  }

  @Test func theReportPrintsAsATableAndSavesAsCSV() throws {
    let mixture = try handMadeMixture()
    let report = try evaluate(
      model: mixture, batches: batches, forward: { batch in mixture.forward(batch.inputs) }, labels: \.labels,
      classNames: ["left", "right"])
    let table = report.table()
    #expect(table.contains("accuracy  0.7500\n"), "\(table)")
    #expect(table.contains("right  0.6667    1     2\n"), "\(table)")
    #expect(table.contains("effective experts  2.0000   2.0000\n"), "\(table)")
    let csv = report.csv()
    #expect(csv.hasPrefix("metric,value\nsamples,4\naccuracy,0.75\naccuracy.class.left,1.0\n"))
    #expect(csv.contains("\nconfusion.right.left,1\n"))
    #expect(csv.contains("\nutilization.routed.expert_1,0.5\n"))
    #expect(csv.contains("\nclass_by_expert.right.expert_1,2\n"))
    #expect(!csv.contains("\nloss,"), "no loss closure, no loss")
    let path = temporaryPath("report.csv")
    defer { unlink(path) }
    try report.writeCSV(to: path)
    #expect(String(decoding: try FileAccess.readBytes(path), as: UTF8.self) == csv)
  }
}
