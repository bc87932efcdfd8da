import Foundation
import NeuralNetworks
import Testing

@testable import Experiments

/// `export` writes what a PyTorch user needs; when a Python with torch and safetensors is here (the
/// repository's venv-torch, `make torch-venv`), the exported module gives the library's outputs to 1e-5.
@Suite struct ExportTests {
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// A Python that imports `modules`, or nil: the repository's venv-torch (`make torch-venv`), then
  /// the system's.
  static func python(importing modules: String) -> String? {
    [repository.appendingPathComponent("venv-torch/bin/python").path, "/usr/bin/python3"].first { candidate in
      guard FileManager.default.isExecutableFile(atPath: candidate) else { return false }
      let check = Process()
      check.executableURL = URL(fileURLWithPath: candidate)
      check.arguments = ["-c", "import \(modules)"]
      check.standardError = FileHandle.nullDevice
      check.standardOutput = FileHandle.nullDevice
      guard (try? check.run()) != nil else { return false }
      check.waitUntilExit()
      return check.terminationStatus == 0
    }
  }

  static let python = python(importing: "torch, safetensors")

  /// Runs `script` and reads the one number it prints.
  static func runPython(_ python: String, _ script: String) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = ["-c", script]
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return try #require(Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), "\(text)")
  }

  /// The templates, and the capacity routers at a capacity factor small enough that many tokens
  /// are dropped (switch, gshard) or chosen by no expert (expert choice), so the module's dropping
  /// rules are what the comparison tests.
  static let cases: [(template: String, overrides: [String])] = [
    ("basic", []), ("sparse", []), ("hierarchical", []), ("switch", []), ("switch", ["model.capacity_factor=0.5"]),
    ("switch", ["model.router=gshard"]), ("switch", ["model.router=gshard", "model.capacity_factor=0.5"]),
    ("expert_choice", []), ("expert_choice", ["model.capacity_factor=0.5"]),
  ]

  @Test(arguments: cases.indices)
  func theExportedPyTorchModuleGivesTheLibrarysOutputs(case index: Int) throws {
    let (template, overrides) = Self.cases[index]
    let label = ([template] + overrides).joined(separator: " ")
    let folder = RunTests.folder("export-\(template)")
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let runner = try RunTests.runner(try RunTests.tree(template, overrides), folder)
    _ = try runner.run(resuming: false)
    let destination = folder.path + "/export"
    let files = try RunExport.write(runner, to: destination)
    for file in files { #expect(FileManager.default.fileExists(atPath: file)) }
    let exported = try SafeTensors.read(from: destination + "/model.safetensors").tensors.map(\.name)
    #expect(!exported.contains { $0.hasPrefix("optimizer.") }, "no optimizer state in the export")

    // The library's outputs for 64 test images, one batch, with the best parameters.
    try runner.loadCheckpoint(from: folder.bestCheckpoint, optimizerState: false)
    let inputs = runner.data.test.inputs.slice(axis: 0, 0..<64)
    runner.mixture.eval()  // noise off, as `evaluate` and the exported module run
    let (outputs, routing) = withoutGradients { runner.mixture.forward(inputs) }
    if overrides.contains("model.capacity_factor=0.5") {
      let lost = routing.droppedAssignments.count + routing.unroutedTokens.count
      #expect(lost > 0, "\(label): the batch exercises dropping")
    }
    try SafeTensors.write([("input", inputs), ("output", outputs)], to: destination + "/expected.safetensors")

    guard let python = Self.python else {
      print("skipped the PyTorch comparison (\(label)): no Python with torch and safetensors (make torch-venv)")
      return
    }
    let script = """
      import sys; sys.path.insert(0, '\(destination)')
      import moe_model, torch
      from safetensors.torch import load_file
      model = moe_model.load('\(destination)')
      expected = load_file('\(destination)/expected.safetensors')
      with torch.no_grad():
          got = model(expected['input'])
      print(float((got - expected['output']).abs().max()))
      """
    let difference = try Self.runPython(python, script)
    print("PyTorch, \(label): largest difference \(difference)")
    #expect(difference <= 1e-5, "\(label): largest difference \(difference)")
  }
}
