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

  @Test func theAuxiliaryLossFreeGateMovesItsBiasDuringARun() throws {
    let folder = Self.folder("bias")
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let tree = try Self.tree("sparse", ["model.router=biasBalancedTopK", "losses.importance=0", "losses.load=0"])
    _ = try #require(try Self.runner(tree, folder).run(resuming: false))
    let bias = try #require(try Self.parameters(folder.lastCheckpoint).first { $0.key.hasSuffix("selectionBias") })
    // gamma = 0.001 per step, 2 epochs of batches: the bias has moved, by whole steps of gamma.
    #expect(bias.value.contains { $0 != 0 }, "the selection bias stayed at zero")
    #expect(bias.value.allSatisfy { abs($0 / 0.001 - ($0 / 0.001).rounded()) < 1e-2 })
  }

  /// Everything a resumed run must reproduce: both checkpoints (parameters, buffers and Adam's
  /// state), every row of metrics.csv and the TensorBoard scalars.
  static func expectSameRun(_ resumed: RunFolder, as whole: RunFolder, _ label: String) throws {
    #expect(try parameters(resumed.lastCheckpoint) == parameters(whole.lastCheckpoint), "\(label): last")
    #expect(try parameters(resumed.bestCheckpoint) == parameters(whole.bestCheckpoint), "\(label): best")
    #expect(
      try String(contentsOfFile: resumed.metrics, encoding: .utf8)
        == String(contentsOfFile: whole.metrics, encoding: .utf8), "\(label): metrics.csv")
    let resumedScalars = try EventFileReader.scalars(in: try #require(resumed.eventFile)).scalars
    let wholeScalars = try EventFileReader.scalars(in: try #require(whole.eventFile)).scalars
    #expect(resumedScalars.map(\.tag) == wholeScalars.map(\.tag), "\(label): event tags")
    #expect(resumedScalars.map(\.value) == wholeScalars.map(\.value), "\(label): event values")
  }

  @Test(arguments: ["sparse", "switch"])
  func aRunStoppedAtAnEpochsEndResumesToTheParametersOfAnUninterruptedOne(template: String) throws {
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
    first.shouldStop = { $0.endsEpoch }
    #expect(try first.run(resuming: false) == nil, "the run stops after its first epoch")
    let progress = try String(contentsOfFile: stopped.progress, encoding: .utf8)
    #expect(progress.contains("\"epochsDone\" : 1") && !progress.contains("epochInProgress"))
    _ = try Self.runner(tree, stopped).run(resuming: true)
    try Self.expectSameRun(stopped, as: whole, template)
  }

  /// Ctrl-C stops after the step in progress: stopped at batch 3 of the second epoch (and, the
  /// second time, at batch 1 of the first and again at batch 5 of it), the resumed runs end with the
  /// parameters, optimizer state, metrics and events of a run that never stopped. For the sparse
  /// template this needs the noise states and Adam's moments of the step; for switch, the batch
  /// order (capacity depends on the batch).
  @Test(arguments: ["sparse", "switch"])
  func aRunStoppedInsideAnEpochResumesToTheParametersOfAnUninterruptedOne(template: String) throws {
    let tree = try Self.tree(template)
    let whole = Self.folder("whole")
    defer { try? FileManager.default.removeItem(atPath: whole.path) }
    _ = try Self.runner(tree, whole).run(resuming: false)

    for stops in [
      [TrainingPosition(epoch: 1, step: 3, batchCount: 0)],
      [
        TrainingPosition(epoch: 0, step: 1, batchCount: 0), TrainingPosition(epoch: 0, step: 5, batchCount: 0),
      ],
    ] {
      let stopped = Self.folder("stopped")
      defer { try? FileManager.default.removeItem(atPath: stopped.path) }
      var resuming = false
      for stop in stops {
        let runner = try Self.runner(tree, stopped)
        var positions: [TrainingPosition] = []
        runner.shouldStop = { position in
          positions.append(position)
          return position.epoch == stop.epoch && position.step == stop.step
        }
        #expect(try runner.run(resuming: resuming) == nil, "\(template): stops at \(stop)")
        #expect(positions.last.map { $0.epoch == stop.epoch && $0.step == stop.step && !$0.endsEpoch } == true)
        let progress = try String(contentsOfFile: stopped.progress, encoding: .utf8)
        #expect(progress.contains("\"batchesDone\" : \(stop.step)"), "\(progress)")
        #expect(progress.contains("\"epochsDone\" : \(stop.epoch)"), "\(progress)")
        let rows = try String(contentsOfFile: stopped.metrics, encoding: .utf8).split(separator: "\n")
        #expect(rows.count == 1 + stop.epoch, "metrics.csv holds the finished epochs only")
        resuming = true
      }
      let last = try Self.runner(tree, stopped)
      let summary = try #require(try last.run(resuming: true), "\(template): the resumed run finishes")
      #expect(summary.epochsRun == 2)
      try Self.expectSameRun(stopped, as: whole, "\(template), stopped at \(stops.map { [$0.epoch, $0.step] })")
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
