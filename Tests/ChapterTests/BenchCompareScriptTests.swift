import Foundation
import Testing

/// `make bench-compare` says why the PyTorch side cannot run, one reason at a time: the suite is
/// missing, the Python is missing, or that Python has no torch. (The comparison itself needs torch and
/// takes half an hour; it is not run here.)
@Suite struct BenchCompareScriptTests {
  static let repository = ChapterNumberTests.repository
  /// The machine's python3, if it has one.
  static let python3 = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
    FileManager.default.isExecutableFile(atPath: $0)
  }

  /// Runs Scripts/bench_compare.py with a Swift benchmark that fails at once (`false`), so only the
  /// reference check and the first Swift launch happen. Nil when this machine has no python3.
  static func compare(pytorchFolder: String, python: String) throws -> String? {
    guard let python3 else { return nil }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python3)
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("bench-compare-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    process.arguments = [
      repository.appendingPathComponent("Scripts/bench_compare.py").path, "--swift-bin", "/bin/false",
      "--pytorch-dir", pytorchFolder, "--python", python, "--only", "W1", "--rounds", "1",
      "--out-dir", output.path,
    ]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  @Test func aMissingSuiteIsNamed() throws {
    guard let output = try Self.compare(pytorchFolder: "/nonexistent/suite", python: "/usr/bin/python3") else {
      print("skipped: no python3 on this machine")
      return
    }
    #expect(output.contains("no PyTorch reference suite at /nonexistent/suite/run_all.py"), "\(output)")
  }

  @Test func aMissingPythonIsNamedWithTheSetUpCommand() throws {
    let suite = Self.repository.appendingPathComponent("Scripts/pytorch_reference").path
    guard let output = try Self.compare(pytorchFolder: suite, python: "/nonexistent/python") else {
      print("skipped: no python3 on this machine")
      return
    }
    #expect(output.contains("no Python at /nonexistent/python"), "\(output)")
    #expect(output.contains("make torch-venv"), "\(output)")
  }

  @Test func thePythonWithoutTorchIsTold() throws {
    let suite = Self.repository.appendingPathComponent("Scripts/pytorch_reference").path
    guard let python = Self.python3 else {
      print("skipped: no python3 on this machine")
      return
    }
    let hasTorch = Process()
    hasTorch.executableURL = URL(fileURLWithPath: python)
    hasTorch.arguments = ["-c", "import torch"]
    hasTorch.standardError = FileHandle.nullDevice
    try hasTorch.run()
    hasTorch.waitUntilExit()
    guard hasTorch.terminationStatus != 0 else {
      print("skipped: \(python) has torch")
      return
    }
    guard let output = try Self.compare(pytorchFolder: suite, python: python) else { return }
    #expect(output.contains("the Python at \(python) has no torch"), "\(output)")
  }

  @Test func theProjectsSuiteNamesEveryWorkloadOfTheSwiftBenchmark() throws {
    let workloads = try String(
      contentsOf: Self.repository.appendingPathComponent("Scripts/pytorch_reference/workloads.py"), encoding: .utf8)
    for name in ["W1", "W2", "W3", "W4", "W5", "W6", "W7", "GEMM"] {
      #expect(workloads.contains("\"\(name)\": "), "the reference suite has no workload \(name)")
    }
  }
}
