import ChapterProcessTesting
import Foundation
import Testing

/// The `moe-experiment` executable itself: a real Ctrl-C (SIGINT) stops after the step in progress
/// with status 130 and says how to resume; a bad export request is one line on standard error with
/// status 2, and nothing is written.
@Suite struct ExperimentCommandTests {
  static func results(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("moe-command-\(name)-\(UUID().uuidString)").path
  }

  @Test func ctrlCStopsAfterTheStepInProgressAndSaysHowToResume() throws {
    let results = Self.results("interrupt")
    defer { try? FileManager.default.removeItem(atPath: results) }
    let process = Process()
    process.executableURL = try ChapterProcess(product: "moe-experiment").executable
    // Far more epochs than run before the signal: the interrupt, not the end, stops the run.
    process.arguments = [
      "run", "--template", "basic", "--name", "stopped", "--results", results, "--set", "training.epochs=10000",
    ]
    var environment = ProcessInfo.processInfo.environment
    environment["OPENBLAS_NUM_THREADS"] = "1"
    process.environment = environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()

    // Interrupt once the first epoch is written, as a user pressing Ctrl-C mid-run.
    var text = ""
    while !text.contains("epoch 0:") {
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { break }
      text += String(decoding: chunk, as: UTF8.self)
    }
    process.interrupt()
    // Were the signal ignored, the run would go on for hours: end it so the test fails, not hangs.
    let guardTimer = DispatchWorkItem { if process.isRunning { process.terminate() } }
    DispatchQueue.global().asyncAfter(deadline: .now() + 300, execute: guardTimer)
    defer { guardTimer.cancel() }
    text += String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()

    #expect(process.terminationStatus == 130, "\(text)\(errorText)")
    #expect(errorText.contains("interrupted: stopping after the step in progress"), "\(errorText)")
    let last = text.split(separator: "\n").last.map(String.init) ?? ""
    #expect(last.hasPrefix("stopped "), "\(last)")
    #expect(last.hasSuffix("continue with: moe-experiment resume \(results)/stopped"), "\(last)")
    let progress = try String(contentsOfFile: results + "/stopped/progress.json", encoding: .utf8)
    #expect(progress.contains("\"finished\" : false"))
    #expect(FileManager.default.fileExists(atPath: results + "/stopped/last.safetensors"))
  }

  @Test func aBadExportRequestIsOneLineWithStatus2AndWritesNothing() throws {
    let results = Self.results("export")
    defer { try? FileManager.default.removeItem(atPath: results) }
    let command = try ChapterProcess(product: "moe-experiment")
    let run = try command.run(["run", "--template", "switch", "--name", "w", "--results", results, "--quick"])
    #expect(run.status == 0, "\(run.standardError)")
    let folder = results + "/w"

    let uncovered = try command.run(["export", folder, "--format", "onnx"])
    #expect(uncovered.status == 2)
    #expect(
      uncovered.standardError
        == "error: export --format onnx: router 'switch' is not covered; the ONNX export covers softmax, topK, "
        + "noisyTopK (and groups of them); use --format safetensors for the PyTorch module\n")
    let unknown = try command.run(["export", folder, "--format", "onx"])
    #expect(unknown.status == 2)
    #expect(unknown.standardError == "error: export: --format: unknown format 'onx'; known: safetensors, onnx\n")
    #expect(!FileManager.default.fileExists(atPath: folder + "/export"), "nothing written")
  }
}
