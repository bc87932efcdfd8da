import Lessons
import MoE
import NeuralNetworks
import Plotting

// Every ```swift sample of the README, verbatim (without its `import` lines, which are this file's),
// each between a `// sample begins` and a `// sample ends` line, so a sample that stops compiling
// breaks the build. `ReadmeSamplesTests` checks that the README still holds exactly these texts. The
// samples that write files into the working directory are compiled, not called.

func engineSample() throws {
  // sample begins
  var generator = SeededGenerator(seed: 0)
  let model = Sequential(Linear(10, 20, using: &generator), ReLU(), Linear(20, 5, using: &generator))
  let optimizer = Adam(parameters: model.parameters, learningRate: 1e-3)
  let x = Tensor.normal([64, 10], using: &generator)
  let y = Tensor.normal([64, 5], using: &generator)

  optimizer.zeroGrad()
  let loss = meanSquaredError(model(x), y)
  loss.backward()
  optimizer.step()
  try model.save(to: "model.safetensors")   // loads in PyTorch: names match state_dict()
  // sample ends
}

func figuresSample() throws {
  // sample begins
  let losses: [Float] = [1.0, 0.5, 0.3, 0.2, 0.15]
  var plot = LinePlot(title: "Training loss", xLabel: "epoch", yLabel: "MSE", yScale: .logarithmic)
  plot.add(series: "mixture", y: losses)
  try plot.write(to: "Figures/my-run/loss.png")   // creates Figures/my-run/ if it is missing
  // sample ends
}

func mixtureSample() throws -> RoutingRecord {
  // sample begins
  var generator = SeededGenerator(seed: 0)
  let experts = FeedForwardExpert.make(count: 8, inputSize: 16, hiddenSize: 32, outputSize: 16, using: &generator)
  let gate = try NoisyTopKGate(inputSize: 16, expertCount: 8, k: 2, seed: 1, using: &generator)
  let mixture = MixtureOfExperts(experts: experts, gate: gate)   // sparse dispatch: cost grows with k, not 8

  let x = Tensor.normal([256, 16], using: &generator)
  let (y, routing) = mixture.forward(x)
  let loss = meanSquaredError(y, x) + 0.01 * loadBalancingLoss(routing) + 1e-3 * routerZLoss(routing)
  print(routing.tokensPerExpert, routing.computeFraction)   // [51, 65, 44, 69, 52, 88, 80, 63] 0.25
  // sample ends
  loss.backward()
  return routing
}

func declaredOptionsSample() {
  // sample begins
  let chapter = Chapter(
    number: 7, title: "Top-k routing", abstract: "...", defaultEpochs: 200,
    options: [.integer("experts", default: 8, in: 2...64, help: "Number of experts.")])
  let expertCount = chapter.integer("experts")   // --experts 16 or --experts=16
  // sample ends
  _ = expertCount
}
