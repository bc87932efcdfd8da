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
    usage: Benchmarks [--only OP,ELEMENTWISE,MLP,GEMM] [--threads 1,2] [--json FILE] [--quick]
      --only      comma-separated workload groups (default: all)
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
      case "--only": options.only = Set(value(for: "--only").split(separator: ",").map { String($0).uppercased() })
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
var results: [Measurement] = []
for threads in options.threads {
  setBLASThreads(threads)
  if options.includes("OP") { results += EngineWorkloads.perOpOverhead(threads: threads, quick: options.quick) }
  if options.includes("ELEMENTWISE") {
    results += EngineWorkloads.elementwise(threads: threads, quick: options.quick)
  }
  if options.includes("MLP") {
    results.append(EngineWorkloads.multilayerPerceptronStep(threads: threads, quick: options.quick))
  }
  if options.includes("GEMM") {
    results += EngineWorkloads.matrixMultiplication(sizes: [256, 512, 1024], threads: threads, quick: options.quick)
  }
}
printTable(results)
if let path = options.jsonPath {
  do {
    try writeJSON(results, to: path)
    print("wrote \(path)")
  } catch {
    writeToStandardError("error: cannot write \(path): \(error)\n")
    exit(1)
  }
}
