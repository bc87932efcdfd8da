import NeuralNetworks

#if canImport(Glibc)
  import Glibc
#endif

func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
  let padding = String(repeating: " ", count: max(0, width - text.count))
  return left ? padding + text : text + padding
}

/// One row per measurement: description, median, min-max, GFLOP/s.
func printTable(_ results: [Measurement]) {
  let nameWidth = max(40, results.map(\.description.count).max() ?? 0)
  print(
    padded("workload", nameWidth) + "  threads  " + padded("median", 12, left: true) + "  " + padded("min - max", 25)
      + "  GFLOP/s")
  print(String(repeating: "-", count: nameWidth + 58))
  for result in results {
    let threads = result.key.split(separator: ".").last.map { String($0.dropFirst()) } ?? ""
    let range = formatMilliseconds(result.minimum) + " - " + formatMilliseconds(result.maximum)
    let rate = result.gigaflopsPerSecond.map { formatDecimal($0, decimals: 1) } ?? ""
    print(
      padded(result.description, nameWidth) + "  " + padded(threads, 7, left: true) + "  "
        + padded(formatMilliseconds(result.median), 12, left: true) + "  " + padded(range, 25) + "  " + rate)
  }
  print("OpenBLAS threads per call as listed; medians over repeats after warm-up (ContinuousClock).")
}

/// A flat JSON object: `<key>` holds the median in ms (or µs for keys ending in _us), `<key>_min` the fastest.
func writeJSON(_ results: [Measurement], to path: String) throws(FileAccessError) {
  var lines: [String] = []
  for result in results {
    let scale = result.key.contains("_us.") ? 1e3 : 1
    lines.append("  \"\(result.key)\": \(formatDecimal(result.median * scale, decimals: 6))")
    lines.append("  \"\(result.key)_min\": \(formatDecimal(result.minimum * scale, decimals: 6))")
  }
  let text = "{\n" + lines.joined(separator: ",\n") + "\n}\n"
  try FileAccess.writeAtomically(text, to: path)
}
