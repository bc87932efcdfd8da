/// A named set of workloads, run once per thread count: `--only` selects groups by name.
struct BenchmarkGroup: Sendable {
  let name: String
  let run: @Sendable (_ threads: Int, _ quick: Bool) -> BenchmarkResults
}

/// Every group, in the order they run: the PyTorch suite's workloads first, then the engine's own.
let benchmarkGroups: [BenchmarkGroup] = [
  BenchmarkGroup(name: "W1", run: DenseMixtureWorkloads.introduction),
  BenchmarkGroup(name: "W2", run: DenseMixtureWorkloads.sumOfSquares),
  BenchmarkGroup(name: "W3", run: DenseMixtureWorkloads.regions),
  BenchmarkGroup(name: "W4", run: SparseMixtureWorkload.run),
  BenchmarkGroup(name: "W5", run: SequenceExpertsWorkload.run),
  BenchmarkGroup(name: "W6", run: ConvolutionExpertsWorkload.run),
  BenchmarkGroup(name: "W7", run: DenseMixtureWorkloads.hierarchical),
  BenchmarkGroup(name: "GEMM", run: EngineWorkloads.matrixMultiplication),
  BenchmarkGroup(name: "OP", run: EngineWorkloads.perOpOverhead),
  BenchmarkGroup(name: "ELEMENTWISE", run: EngineWorkloads.elementwise),
  BenchmarkGroup(name: "MLP", run: EngineWorkloads.multilayerPerceptronStep),
  BenchmarkGroup(name: "DATA", run: DataLoadingWorkload.run),
]
