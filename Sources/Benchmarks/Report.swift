import NeuralNetworks

#if canImport(Glibc)
  import Glibc
#endif

func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
  let padding = String(repeating: " ", count: max(0, width - text.count))
  return left ? padding + text : text + padding
}

/// One row per timing (workload, metric key, median, min, max, median process CPU time, GFLOP/s),
/// then the other values.
/// `peak`, the measured FMA peak of one core, adds each GFLOP/s figure's share of it.
func printTable(_ results: BenchmarkResults, peak: Double? = nil) {
  let measurements = results.measurements
  let nameWidth = max(30, measurements.map(\.description.count).max() ?? 0)
  let keyWidth = max(20, measurements.map(\.key.count).max() ?? 0)
  print(
    padded("workload", nameWidth) + "  " + padded("metric", keyWidth) + "  " + padded("median", 12, left: true)
      + "  " + padded("min", 12, left: true) + "  " + padded("max", 12, left: true) + "  "
      + padded("CPU median", 12, left: true) + "  GFLOP/s")
  print(String(repeating: "-", count: nameWidth + keyWidth + 69))
  for result in measurements {
    let rate =
      result.gigaflopsPerSecond.map { rate in
        formatDecimal(rate, decimals: 1) + (peak.map { " (\(percent(rate / $0)) of peak)" } ?? "")
      } ?? ""
    print(
      padded(result.description, nameWidth) + "  " + padded(result.key, keyWidth) + "  "
        + padded(formatMilliseconds(result.median), 12, left: true) + "  "
        + padded(formatMilliseconds(result.minimum), 12, left: true) + "  "
        + padded(formatMilliseconds(result.maximum), 12, left: true) + "  "
        + padded(result.cpuSamples.isEmpty ? "" : formatMilliseconds(medianOf(result.cpuSamples)), 12, left: true)
        + "  " + rate)
  }
  if !results.values.isEmpty {
    let valueWidth = max(30, results.values.map(\.description.count).max() ?? 0)
    print("")
    for value in results.values {
      print(
        padded(value.description, valueWidth) + "  " + padded(value.key, keyWidth) + "  " + formatValue(value.value))
    }
  }
  print(
    "Wall-clock medians over repeats after warm-up (ContinuousClock); CPU = process CPU time per call,"
      + " robust to other processes at T1; threads = the T suffix of each key.")
}

/// Up to 6 significant decimals, without trailing noise for whole numbers.
func formatValue(_ value: Double) -> String {
  if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
  return formatDecimal(value, decimals: abs(value) >= 100 ? 3 : 6)
}

/// A flat JSON object: `<key>` holds the median in ms (or µs for keys ending in _us), `<key>_min`
/// and `<key>_max` the fastest and slowest sample, `<key>_cpu` the median process CPU time per call
/// (as the PyTorch suite's), then every value under its key.
func writeJSON(_ results: BenchmarkResults, to path: String) throws(FileAccessError) {
  var lines: [String] = []
  for result in results.measurements {
    let scale = result.key.contains("_us.") ? 1e3 : 1
    lines.append("  \"\(result.key)\": \(formatDecimal(result.median * scale, decimals: 6))")
    let (stem, suffix) = splitThreadSuffix(result.key)
    lines.append("  \"\(stem)_min\(suffix)\": \(formatDecimal(result.minimum * scale, decimals: 6))")
    lines.append("  \"\(stem)_max\(suffix)\": \(formatDecimal(result.maximum * scale, decimals: 6))")
    if !result.cpuSamples.isEmpty {
      lines.append("  \"\(stem)_cpu\(suffix)\": \(formatDecimal(medianOf(result.cpuSamples) * scale, decimals: 6))")
    }
  }
  for value in results.values {
    lines.append("  \"\(value.key)\": \(value.value.isFinite ? formatValue(value.value) : "null")")
  }
  let text = "{\n" + lines.joined(separator: ",\n") + "\n}\n"
  try FileAccess.writeAtomically(text, to: path)
}

/// "W1.train_step_ms.T1" -> ("W1.train_step_ms", ".T1"), as the PyTorch suite names its `_min` keys.
func splitThreadSuffix(_ key: String) -> (String, String) {
  guard let dot = key.lastIndex(of: "."), key[key.index(after: dot)...].first == "T" else { return (key, "") }
  return (String(key[..<dot]), String(key[dot...]))
}

/// Peak resident memory of this process so far, in MiB (getrusage; Linux reports KiB).
func peakResidentMemoryMiB() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024
}
