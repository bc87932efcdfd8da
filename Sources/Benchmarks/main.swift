import NeuralNetworks

#if canImport(Glibc)
  import Glibc
#endif

/// `make bench ARGS="--only MLP,GEMM --threads 1 --json out.json --quick"`
struct BenchmarkOptions {
  var only: Set<String>? = nil
  var threads: [Int] = [1]
  var jsonPath: String? = nil
  var quick = false

  static let usage = """
    usage: Benchmarks [--only W1,W4,GEMM,...] [--threads 1,2] [--json FILE] [--quick]
      --only      comma-separated workload groups (default: all): W1..W7, GEMM (the PyTorch
                  suite's workloads) and OP, ELEMENTWISE, MLP, DATA (the engine's own)
      --threads   OpenBLAS thread counts to run with (default: 1)
      --json      also write the results as one flat JSON object to FILE
      --quick     fewer repeats: a smoke test, not a measurement
    """

  static func parse(_ arguments: [String]) -> BenchmarkOptions {
    var options = BenchmarkOptions()
    var index = 0
    func value(for flag: String) -> String {
      index += 1
      if index >= arguments.count { fail("\(flag) needs a value") }
      return arguments[index]
    }
    while index < arguments.count {
      switch arguments[index] {
      case "--only":
        let names = value(for: "--only").split(separator: ",").map { String($0).uppercased() }
        let known = Set(benchmarkGroups.map(\.name))
        if let unknown = names.first(where: { !known.contains($0) }) {
          fail("unknown workload group '\(unknown)'; known: \(benchmarkGroups.map(\.name).joined(separator: ","))")
        }
        options.only = Set(names)
      case "--threads":
        let text = value(for: "--threads")
        let counts = text.split(separator: ",").compactMap { Int($0) }
        if counts.isEmpty || counts.contains(where: { $0 < 1 }) {
          fail("--threads takes positive integers, got '\(text)'")
        }
        options.threads = counts
      case "--json": options.jsonPath = value(for: "--json")
      case "--quick": options.quick = true
      case "--help", "-h":
        print(usage)
        exit(0)
      default: fail("unknown option '\(arguments[index])'")
      }
      index += 1
    }
    return options
  }

  static func fail(_ message: String) -> Never {
    writeToStandardError("error: \(message)\n\(usage)\n")
    exit(2)
  }

  func includes(_ group: String) -> Bool { only?.contains(group) ?? true }
}

let options = BenchmarkOptions.parse(Array(CommandLine.arguments.dropFirst()))
if let path = options.jsonPath, let problem = unwritableOutput(path) {
  BenchmarkOptions.fail("--json \(path): \(problem)")
}
var machine = MachineReport.probe()
let machineAtStart = MachineCPUTime.now()
let cpuAtStart = processCPUSeconds()
var results = BenchmarkResults()
for group in benchmarkGroups where options.includes(group.name) {
  for threads in options.threads {
    setBLASThreads(threads)
    results.append(contentsOf: group.run(threads, options.quick))
  }
  // The process's peak so far: exact for the group when it runs alone (`--only W5`).
  results.add(
    "meta.\(group.name).peak_rss_mib", "\(group.name): peak resident memory so far (MiB)", peakResidentMemoryMiB())
}
if let machineAtStart {
  machine.foreignShare = MachineCPUTime.foreignShare(
    since: machineAtStart, ownSeconds: processCPUSeconds() - cpuAtStart)
}
machine.record(in: &results)
for line in machine.lines { print(line) }
print("")
printTable(results, peak: machine.fmaPeak)
if let path = options.jsonPath {
  do {
    try writeJSON(results, to: path)
    print("wrote \(path)")
  } catch {
    writeToStandardError("error: cannot write \(path): \(error)\n")
    exit(1)
  }
}
