import Tensors

/// Median, fastest and slowest of repeated timings of one workload, in milliseconds.
struct Measurement {
  let key: String
  let description: String
  let samples: [Double]
  /// Floating-point operations per call, when meaningful (for GFLOP/s).
  let flops: Double?

  var median: Double {
    let sorted = samples.sorted()
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
  }
  var minimum: Double { samples.min() ?? 0 }
  var maximum: Double { samples.max() ?? 0 }
  var gigaflopsPerSecond: Double? { flops.map { $0 / (median * 1e-3) / 1e9 } }
}

/// Times `body` after `warmup` untimed calls: `repeats` samples, each the mean over `callsPerSample`
/// calls (so sub-microsecond ops are measured above the clock's resolution).
func measure(
  _ key: String, _ description: String, warmup: Int = 3, repeats: Int = 15, callsPerSample: Int = 1,
  flops: Double? = nil, _ body: () -> Void
) -> Measurement {
  for _ in 0..<warmup { body() }
  let clock = ContinuousClock()
  var samples: [Double] = []
  for _ in 0..<repeats {
    let elapsed = clock.measure {
      for _ in 0..<callsPerSample { body() }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    samples.append(seconds * 1e3 / Double(callsPerSample))
  }
  return Measurement(key: key, description: description, samples: samples, flops: flops)
}

/// Fixed-decimals text for a duration in ms, choosing µs below 0.1 ms for readability.
func formatMilliseconds(_ value: Double) -> String {
  value < 0.1 ? formatDecimal(value * 1e3, decimals: 2) + " µs" : formatDecimal(value, decimals: 3) + " ms"
}
