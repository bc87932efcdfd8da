import CBLAS
import CPeakFlops
import NeuralNetworks

#if canImport(Glibc)
  import Glibc
#endif

/// What machine a benchmark run measured: the processor, the BLAS kernel OpenBLAS selected, the
/// BLAS-related environment, one core's measured FMA peak, raw sgemm at n = 512, and how much of the
/// machine other processes used while the run went on. A run whose sgemm lies far below the FMA peak,
/// or that shared the machine with a busy process, says so: its numbers are not representative.
struct MachineReport {
  /// Environment variables that change which BLAS kernel runs or how many threads it uses.
  static let blasVariables = [
    "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS", "OPENBLAS_VERBOSE", "GOTO_NUM_THREADS",
    "OMP_NUM_THREADS", "LD_PRELOAD",
  ]

  var processor: String
  var blasCore: String
  var blasConfig: String
  var environment: [(name: String, value: String)]
  /// Best of a few runs of `peak_flops_fma_seconds`, GFLOP/s; nil without AVX2 + FMA.
  var fmaPeak: Double?
  /// Float lanes of the FMA the peak was measured with (16 for AVX-512, 8 for AVX2).
  var fmaWidth: Int
  /// Raw cblas_sgemm at 512 x 512, one thread, GFLOP/s (best of a few).
  var sgemm512: Double
  /// Machine CPU use by other processes while the run went on, as a share of all cores' time.
  var foreignShare: Double? = nil

  /// Probes the machine (about a tenth of a second); `foreignShare` is filled in by `finish`.
  static func probe() -> MachineReport {
    let savedThreads = blasThreads
    setBLASThreads(1)
    defer { setBLASThreads(savedThreads) }
    return MachineReport(
      processor: processorName(), blasCore: String(cString: openblas_get_corename()),
      blasConfig: String(cString: openblas_get_config()).trimmingTrailingSpaces(),
      environment: blasVariables.compactMap { name in getenv(name).map { (name, String(cString: $0)) } },
      fmaPeak: measureFMAPeak(), fmaWidth: Int(peak_flops_vector_width()), sgemm512: measureSGEMM(n: 512))
  }

  /// The lines printed above the benchmark table.
  var lines: [String] {
    var lines = ["machine: \(processor)", "BLAS: OpenBLAS, core \(blasCore) (\(blasConfig))"]
    lines.append(
      "BLAS environment: "
        + (environment.isEmpty ? "none set" : environment.map { "\($0.name)=\($0.value)" }.joined(separator: " ")))
    if let fmaPeak {
      lines.append(
        "one core's FMA peak: \(formatDecimal(fmaPeak, decimals: 1)) GFLOP/s (twelve independent \(fmaWidth)-wide FMAs, best of 5)"
      )
    } else {
      lines.append("one core's FMA peak: not measured (neither AVX-512 nor AVX2 + FMA on this processor)")
    }
    lines.append("engine's C kernels: \(KernelVariant.name) (\(KernelVariant.vectorWidth) lanes)")
    lines.append(
      "raw sgemm n=512, 1 thread: \(formatDecimal(sgemm512, decimals: 1)) GFLOP/s"
        + (fmaPeak.map { " (\(percent(sgemm512 / $0)) of the FMA peak)" } ?? ""))
    if let foreignShare {
      lines.append("other processes used \(percent(foreignShare)) of the machine's CPU while the benchmarks ran")
    }
    lines.append(contentsOf: warnings)
    return lines
  }

  /// One line per reason the run is not representative; empty for a quiet, well-configured machine.
  var warnings: [String] {
    var warnings: [String] = []
    // A quiet core runs OpenBLAS sgemm at 80-90% of its AVX2 FMA peak (Zen 3) and at 55-65% of its
    // AVX-512 peak (Skylake-X, in these virtual machines); far below that, the core was shared.
    if let fmaPeak, sgemm512 < 0.45 * fmaPeak {
      warnings.append(
        "warning: sgemm reached only \(percent(sgemm512 / fmaPeak)) of the FMA peak: another process shares "
          + "the core or a BLAS override is set; the numbers of this run are not representative")
    }
    if let foreignShare, foreignShare > 0.1 {
      warnings.append(
        "warning: other processes used \(percent(foreignShare)) of the CPU during the run: "
          + "the numbers of this run are not representative")
    }
    if environment.contains(where: { $0.name == "OPENBLAS_CORETYPE" }) {
      warnings.append("warning: OPENBLAS_CORETYPE forces a BLAS kernel; GEMM speeds may be far below this machine's")
    }
    return warnings
  }
}

/// 0.873 -> "87.3%".
func percent(_ fraction: Double) -> String { formatDecimal(fraction * 100, decimals: 1) + "%" }

/// The `model name` line of /proc/cpuinfo, with the number of cores; "unknown processor" elsewhere.
func processorName() -> String {
  let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
  guard let text = readKernelFile("/proc/cpuinfo"),
    let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
    let colon = line.firstIndex(of: ":")
  else { return "unknown processor, \(cores) cores" }
  return line[line.index(after: colon)...].trimmingCharacters() + ", \(cores) cores"
}

func measureFMAPeak() -> Double? {
  let width = Int(peak_flops_vector_width())
  guard width > 0 else { return nil }
  let iterations = 4_000_000
  _ = peak_flops_fma_seconds(iterations / 10)
  let best = (0..<5).map { _ in peak_flops_fma_seconds(iterations) }.min()!
  return Double(iterations * 12 * 2 * width) / best / 1e9
}

func measureSGEMM(n: Int) -> Double {
  let a = [Float](repeating: 0.5, count: n * n)
  let b = [Float](repeating: 0.25, count: n * n)
  var c = [Float](repeating: 0, count: n * n)
  let clock = ContinuousClock()
  var best = Double.infinity
  for run in 0..<6 {
    let elapsed = clock.measure {
      cblas_sgemm(
        CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), b, Int32(n), 0,
        &c, Int32(n))
    }
    if run > 0 { best = min(best, seconds(elapsed)) }
  }
  return 2 * Double(n * n * n) / best / 1e9
}

/// Busy and total jiffies of all cores together, from the first line of /proc/stat.
struct MachineCPUTime {
  var busy: Double
  var total: Double

  static func now() -> MachineCPUTime? {
    guard let text = readKernelFile("/proc/stat"),
      let line = text.split(separator: "\n").first, line.hasPrefix("cpu ")
    else { return nil }
    let fields = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard fields.count >= 5 else { return nil }
    // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
    let total = fields.prefix(8).reduce(0, +)
    return MachineCPUTime(busy: total - fields[3] - fields[4], total: total)
  }

  /// Other processes' share of the machine between `start` and now, given this process's CPU seconds.
  static func foreignShare(since start: MachineCPUTime, ownSeconds: Double) -> Double? {
    guard let end = now() else { return nil }
    let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
    let total = end.total - start.total
    guard total > 0 else { return nil }
    return max(0, ((end.busy - start.busy) - ownSeconds * ticks) / total)
  }
}

/// The text of a /proc file (whose size reads as 0, so it is read until end of file); nil if unreadable.
func readKernelFile(_ path: String) -> String? {
  guard let file = fopen(path, "r") else { return nil }
  defer { fclose(file) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  while true {
    let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4096, file) }
    if count == 0 { break }
    bytes.append(contentsOf: chunk[0..<count])
  }
  return String(decoding: bytes, as: UTF8.self)
}

extension String {
  func trimmingTrailingSpaces() -> String {
    var text = self
    while text.last == " " { text.removeLast() }
    return text
  }
}

extension Substring {
  func trimmingCharacters() -> String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}

extension MachineReport {
  /// The probe's numbers under `meta.machine.*` keys, for the JSON output.
  func record(in results: inout BenchmarkResults) {
    if let fmaPeak { results.add("meta.machine.fma_peak_gflops", "one core's FMA peak (GFLOP/s)", fmaPeak) }
    results.add("meta.machine.kernel_lanes", "lanes of the engine's C kernels", Double(KernelVariant.vectorWidth))
    results.add("meta.machine.sgemm512_gflops", "raw sgemm n=512, 1 thread (GFLOP/s)", sgemm512)
    if let foreignShare {
      results.add("meta.machine.foreign_cpu_frac", "other processes' share of the CPU during the run", foreignShare)
    }
  }
}

/// Why `path` cannot receive the JSON output (its folder is missing or not writable), or nil.
func unwritableOutput(_ path: String) -> String? {
  let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
  let directory = folder.isEmpty ? "/" : folder
  var status = stat()
  if stat(directory, &status) != 0 { return "folder '\(directory)' does not exist" }
  if (status.st_mode & S_IFMT) != S_IFDIR { return "'\(directory)' is not a folder" }
  if access(directory, W_OK) != 0 { return "folder '\(directory)' is not writable" }
  return nil
}
