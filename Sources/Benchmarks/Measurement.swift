import Tensors

#if canImport(Glibc)
  import Glibc
#endif

/// Median, fastest and slowest of repeated timings of one workload, in milliseconds.
struct Measurement {
  let key: String
  let description: String
  let samples: [Double]
  /// Process CPU time per call of each sample (ms), when measured: with one thread, a proxy of the
  /// undisturbed wall time that other processes on the machine barely change.
  let cpuSamples: [Double]
  /// Floating-point operations per call, when meaningful (for GFLOP/s).
  let flops: Double?

  init(key: String, description: String, samples: [Double], cpuSamples: [Double] = [], flops: Double? = nil) {
    self.key = key
    self.description = description
    self.samples = samples
    self.cpuSamples = cpuSamples
    self.flops = flops
  }

  var median: Double { medianOf(samples) }
  var minimum: Double { samples.min() ?? 0 }
  var maximum: Double { samples.max() ?? 0 }
  var gigaflopsPerSecond: Double? { flops.map { $0 / (median * 1e-3) / 1e9 } }
}

/// A number that is not a timing (a loss, a GFLOP/s figure, a memory peak), keyed like the timings.
struct Value {
  let key: String
  let description: String
  let value: Double
}

/// Everything one run produced, in the order it was measured.
struct BenchmarkResults {
  var measurements: [Measurement] = []
  var values: [Value] = []

  mutating func add(_ measurement: Measurement) { measurements.append(measurement) }
  mutating func add(_ key: String, _ description: String, _ value: Double) {
    values.append(Value(key: key, description: description, value: value))
  }
  mutating func append(contentsOf other: BenchmarkResults) {
    measurements += other.measurements
    values += other.values
  }
}

func medianOf(_ samples: [Double]) -> Double {
  if samples.isEmpty { return 0 }
  let sorted = samples.sorted()
  let middle = sorted.count / 2
  return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// CPU time used by this process so far (all threads), in seconds.
func processCPUSeconds() -> Double {
  var time = timespec()
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
  return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Seconds of a clock measurement as a Double.
func seconds(_ duration: Duration) -> Double {
  Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
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
  var cpuSamples: [Double] = []
  for _ in 0..<repeats {
    let cpuStart = processCPUSeconds()
    let elapsed = clock.measure {
      for _ in 0..<callsPerSample { body() }
    }
    cpuSamples.append((processCPUSeconds() - cpuStart) * 1e3 / Double(callsPerSample))
    samples.append(seconds(elapsed) * 1e3 / Double(callsPerSample))
  }
  return Measurement(key: key, description: description, samples: samples, cpuSamples: cpuSamples, flops: flops)
}

/// As `measure`, with the calls per sample chosen so that one sample lasts at least `minimumTime`
/// seconds (the reference suite's `measure`: one timed call calibrates the loop).
func measureCalibrated(
  _ key: String, _ description: String, warmup: Int = 3, repeats: Int = 9, minimumTime: Double = 0.1,
  flops: Double? = nil, _ body: () -> Void
) -> Measurement {
  for _ in 0..<warmup { body() }
  let once = seconds(ContinuousClock().measure { body() })
  let calls = max(1, min(100_000, Int(minimumTime / max(once, 1e-7))))
  return measure(key, description, warmup: 0, repeats: repeats, callsPerSample: calls, flops: flops, body)
}

/// Fixed-decimals text for a duration in ms, choosing µs below 0.1 ms for readability.
func formatMilliseconds(_ value: Double) -> String {
  value < 0.1 ? formatDecimal(value * 1e3, decimals: 2) + " µs" : formatDecimal(value, decimals: 3) + " ms"
}

/// Times single calls one by one (training steps, epochs): wall and CPU time of each, in ms.
struct StepTimer {
  private(set) var wall: [Double] = []
  private(set) var cpu: [Double] = []
  private let clock = ContinuousClock()

  mutating func time(_ body: () -> Void) {
    let cpuStart = processCPUSeconds()
    let start = clock.now
    body()
    wall.append(seconds(clock.now - start) * 1e3)
    cpu.append((processCPUSeconds() - cpuStart) * 1e3)
  }

  func measurement(_ key: String, _ description: String) -> Measurement {
    Measurement(key: key, description: description, samples: wall, cpuSamples: cpu)
  }
}
