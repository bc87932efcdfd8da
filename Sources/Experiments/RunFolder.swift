import Foundation
import Support

/// The folder of one run, `Results/<name>/` by default (ignored by git):
///
///     config.yaml                 the resolved configuration (template or file, with --set applied)
///     metrics.csv                 one row per epoch
///     events.out.tfevents.*       TensorBoard scalars (losses, accuracy, learning rate, utilization)
///     last.safetensors            parameters and optimizer state after the last epoch, or the last step of a stopped one
///     best.safetensors            the same at the best validation loss so far
///     progress.json               where the run is: epochs done, best epoch, patience, a stopped epoch's batches
///     summary.json                final and best metrics, parameter counts (when the run ends)
///     test-report.csv             the test split's evaluation of the best parameters
///     figures/*.png               loss curves, utilization, class x expert routing, gate entropy
public struct RunFolder: Sendable {
  public let path: String

  public init(path: String) { self.path = path }

  public var configuration: String { path + "/config.yaml" }
  public var metrics: String { path + "/metrics.csv" }
  public var lastCheckpoint: String { path + "/last.safetensors" }
  public var bestCheckpoint: String { path + "/best.safetensors" }
  public var progress: String { path + "/progress.json" }
  public var summary: String { path + "/summary.json" }
  public var testReport: String { path + "/test-report.csv" }
  public var figures: String { path + "/figures" }

  /// The TensorBoard event file, if the run has written one.
  public var eventFile: String? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    return names.sorted().first { $0.hasPrefix("events.out.tfevents.") }.map { path + "/" + $0 }
  }

  var exists: Bool { FileManager.default.fileExists(atPath: path) }

  /// A new run: refuses a folder that exists unless `overwrite`, then creates it empty.
  func prepareNew(overwrite: Bool) throws(ExperimentError) {
    if exists {
      guard overwrite else { throw .runFolderExists(path: path) }
      do { try FileManager.default.removeItem(atPath: path) } catch {
        throw .cannotWrite(path: path, reason: "cannot remove the old run (\(error.localizedDescription))")
      }
    }
    do { try AtomicFile.createFolders(figures) } catch { throw .cannotWrite(path: path, reason: error.reason) }
  }

  /// An existing run: it must hold its configuration and progress.
  func requireRun() throws(ExperimentError) {
    for file in [configuration, progress] where !FileManager.default.fileExists(atPath: file) {
      throw .notARunFolder(path: path, missing: (file as NSString).lastPathComponent)
    }
  }

  func write(_ text: String, to file: String) throws(ExperimentError) {
    do { try AtomicFile.write(text, to: file) } catch { throw .cannotWrite(path: file, reason: error.reason) }
  }

  func read(_ file: String) throws(ExperimentError) -> String {
    do { return try AtomicFile.readText(file) } catch { throw .cannotRead(path: file, reason: error.reason) }
  }
}

/// Where a run stands after each epoch (or a stop mid-epoch), saved beside `last.safetensors` so `resume` continues exactly.
struct RunProgress: Codable, Equatable {
  var epochsDone: Int
  var bestEpoch: Int?
  var bestValidationLoss: Double?
  var epochsWithoutImprovement: Int
  var stoppedEarly: Bool
  var finished: Bool
  /// The noise generators' states (noisy routers), in the order of `Module.noiseSources`.
  var noiseStates: [[UInt64]]
  /// The epoch that was stopped between two steps (Ctrl-C), nil at an epoch's end.
  var epochInProgress: EpochInProgress? = nil
  /// Whether the run was started with `--quick` (2 epochs, a few hundred images): resume and
  /// evaluate must use the same data and epochs.
  var quick: Bool
}

extension RunFolder {
  /// Whether the run in this folder was started with `--quick`; false when it has no progress yet.
  public var wasQuick: Bool {
    guard let text = try? read(progress),
      let progress = try? JSONDecoder().decode(RunProgress.self, from: Data(text.utf8))
    else { return false }
    return progress.quick
  }
}
