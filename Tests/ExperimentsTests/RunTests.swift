import Experiments
import Foundation
import MoE
import NeuralNetworks
import Testing

/// Runs of the runner itself, small (`quick`: 2 epochs on at most 600 digits): what a run folder holds,
/// and that a stopped run resumes to the very parameters of a run that was never stopped.
@Suite struct RunTests {
  static func folder(_ name: String) -> RunFolder {
    RunFolder(
      path: FileManager.default.temporaryDirectory.appendingPathComponent("moe-run-\(name)-\(UUID().uuidString)").path)
  }

  static func tree(_ template: String, _ overrides: [String] = []) throws -> ConfigurationTree {
    var tree = try ConfigurationTree.parse(yaml: try ExperimentTemplates.named(template).yaml, source: template)
    for assignment in overrides { try tree.override(assignment) }
    return tree
  }

  static func runner(_ tree: ConfigurationTree, _ folder: RunFolder) throws -> ExperimentRunner {
    let runner = try ExperimentRunner(tree: tree, folder: folder, quick: true)
    runner.log = { _ in }
    runner.wallClock = { 1_800_000_000 }
    return runner
  }

  static func parameters(_ path: String) throws -> [String: [Float]] {
    Dictionary(uniqueKeysWithValues: try SafeTensors.read(from: path).tensors.map { ($0.name, $0.tensor.scalars) })
  }

  @Test(arguments: ExperimentTemplates.names)
  func everyTemplateRunsQuickAndWritesItsFolder(template: String) throws {
    let folder = Self.folder(template)
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let summary = try #require(try Self.runner(try Self.tree(template), folder).run(resuming: false))
    for file in [
      folder.configuration, folder.metrics, folder.lastCheckpoint, folder.bestCheckpoint, folder.summary,
      folder.testReport, folder.figures + "/loss.png", folder.figures + "/utilization.png",
      folder.figures + "/gate-entropy.png",
    ] {
      #expect(FileManager.default.fileExists(atPath: file), "\(template): no \(file)")
    }
    #expect(summary.epochsRun == 2 && summary.testAccuracy > 0.1, "\(template): better than chance after 2 epochs")
    #expect(summary.activeParametersPerInput <= Double(summary.parameterCount))
    let metrics = try String(contentsOfFile: folder.metrics, encoding: .utf8).split(separator: "\n")
    #expect(metrics.count == 3 && metrics[1].hasPrefix("0,") && metrics[2].hasPrefix("1,"))
    let events = try EventFileReader.scalars(in: try #require(folder.eventFile))
    #expect(events.fileVersion == "brain.Event:2")
    #expect(events.scalars.filter { $0.tag == "loss/training" }.map(\.step) == [0, 1])
  }

  @Test func aSparseRunUsesFewerParametersPerInputThanItHas() throws {
    let folder = Self.folder("active")
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let summary = try #require(try Self.runner(try Self.tree("large_scale"), folder).run(resuming: false))
    // 64 experts, top-2: an input uses the gate and 2 experts' worth of parameters.
    #expect(summary.activeParametersPerInput < Double(summary.parameterCount) / 10)
  }

  @Test func aStoppedRunResumesToTheParametersOfAnUninterruptedOne() throws {
    for template in ["sparse", "switch"] {
      let tree = try Self.tree(template, ["training.epochs=3"])
      let whole = Self.folder("whole")
      let stopped = Self.folder("stopped")
      defer {
        try? FileManager.default.removeItem(atPath: whole.path)
        try? FileManager.default.removeItem(atPath: stopped.path)
      }
      // quick keeps min(epochs, 2): interrupt after the first of two epochs.
      _ = try Self.runner(tree, whole).run(resuming: false)
      let first = try Self.runner(tree, stopped)
      first.shouldStop = { true }
      #expect(try first.run(resuming: false) == nil, "the run stops after its first epoch")
      let progress = try String(contentsOfFile: stopped.progress, encoding: .utf8)
      #expect(progress.contains("\"epochsDone\" : 1"))
      _ = try Self.runner(tree, stopped).run(resuming: true)
      #expect(try Self.parameters(stopped.lastCheckpoint) == Self.parameters(whole.lastCheckpoint), "\(template)")
      #expect(
        try String(contentsOfFile: stopped.metrics, encoding: .utf8)
          == String(contentsOfFile: whole.metrics, encoding: .utf8))
      #expect(
        try EventFileReader.scalars(in: try #require(stopped.eventFile)).scalars.count
          == EventFileReader.scalars(in: try #require(whole.eventFile)).scalars.count)
    }
  }

  @Test func aFinishedRunIsNotResumedAndAnExistingFolderIsNotOverwritten() throws {
    let folder = Self.folder("finished")
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    _ = try Self.runner(try Self.tree("basic"), folder).run(resuming: false)
    #expect(throws: ExperimentError.alreadyFinished(path: folder.path, epochs: 2)) {
      _ = try Self.runner(try Self.tree("basic"), folder).run(resuming: true)
    }
    #expect(throws: ExperimentError.runFolderExists(path: folder.path)) {
      _ = try Self.runner(try Self.tree("basic"), folder).run(resuming: false)
    }
  }

  @Test func evaluatingAFinishedRunReproducesItsTestMetrics() throws {
    let folder = Self.folder("evaluate")
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let summary = try #require(try Self.runner(try Self.tree("switch"), folder).run(resuming: false))
    let report = try Self.runner(try Self.tree("switch"), folder).evaluateBest()
    #expect(report.accuracy == summary.testAccuracy)
    #expect(report.loss == summary.testLoss)
  }
}
