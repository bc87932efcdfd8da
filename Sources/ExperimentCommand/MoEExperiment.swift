import ArgumentParser
import Experiments
import Foundation
import NeuralNetworks

#if canImport(Glibc)
  import Glibc
#endif

/// `moe-experiment`: train a mixture of experts from a template or a YAML file, without writing a
/// program. See the README's "Experiments" section.
@main
struct MoEExperiment: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "moe-experiment",
    abstract: "Train, resume, evaluate and export mixtures of experts from YAML configurations.",
    subcommands: [Run.self, Resume.self, Evaluate.self, Export.self, Templates.self, Show.self])
}

/// Prints `error: <message>` on standard error and exits with `status` (2: a bad configuration, before
/// anything was written; 1: a failure while running).
func fail(_ message: String, status: Int32) -> Never {
  FileHandle.standardError.write(Data("error: \(message)\n".utf8))
  Foundation.exit(status)
}

/// Set by Ctrl-C; the run stops after the step (batch) in progress.
nonisolated(unsafe) var interruptRequested: sig_atomic_t = 0

/// Stops the run on Ctrl-C after the step in progress, or (hidden options, for tests of the
/// command) after a number of epochs or of steps counted from this command's start.
func stopOnInterrupt(_ runner: ExperimentRunner, stopAfterEpochs: Int?, stopAfterSteps: Int?) {
  signal(SIGINT) { _ in interruptRequested = 1 }
  // A parent may start the command with SIGINT blocked (Foundation's Process from a test does): the
  // handler above would then never run, and Ctrl-C would not stop the run.
  var interrupt = sigset_t()
  sigemptyset(&interrupt)
  sigaddset(&interrupt, SIGINT)
  pthread_sigmask(SIG_UNBLOCK, &interrupt, nil)
  var epochsSeen = 0
  var stepsSeen = 0
  var told = false
  runner.shouldStop = { position in
    stepsSeen += 1
    if position.endsEpoch { epochsSeen += 1 }
    if let stopAfterSteps, stepsSeen >= stopAfterSteps { return true }
    if let stopAfterEpochs, position.endsEpoch, epochsSeen >= stopAfterEpochs { return true }
    if interruptRequested != 0 {
      if !told {
        FileHandle.standardError.write(Data("\ninterrupted: stopping after the step in progress\n".utf8))
        told = true
      }
      return true
    }
    return false
  }
}

/// The configuration tree of `--template` or `--config`, with `--set` overrides applied; exits with
/// status 2 on any mistake.
func configurationTree(template: String?, config: String?, overrides: [String]) -> ConfigurationTree {
  do {
    var tree: ConfigurationTree
    switch (template, config) {
    case (let name?, nil):
      tree = try ConfigurationTree.parse(yaml: try ExperimentTemplates.named(name).yaml, source: "template \(name)")
    case (nil, let path?):
      guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
        fail("--config: cannot read \(path)", status: 2)
      }
      tree = try ConfigurationTree.parse(yaml: text, source: path)
    default:
      fail(
        "give either --template NAME or --config FILE (templates: \(ExperimentTemplates.names.joined(separator: ", ")))",
        status: 2)
    }
    for assignment in overrides { try tree.override(assignment) }
    _ = try ExperimentConfiguration(tree: tree)
    return tree
  } catch {
    fail(error.description, status: 2)
  }
}

struct Run: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Train a new run into Results/<name>/.")

  @Option(help: "A template (see `moe-experiment templates`).") var template: String?
  @Option(help: "A YAML configuration file.") var config: String?
  @Option(help: "The run's name: its folder is Results/<name> (or --results/<name>).") var name: String
  @Option(name: .customLong("set"), help: "Override one key, e.g. --set training.epochs=5 (repeatable).")
  var overrides: [String] = []
  @Option(help: "The folder that holds run folders.") var results = "Results"
  @Flag(help: "Replace a run folder that exists.") var overwrite = false
  @Flag(help: "A run of seconds: 2 epochs on at most 600 training images.") var quick = false
  @Option(help: .hidden) var stopAfterEpochs: Int?
  @Option(help: .hidden) var stopAfterSteps: Int?

  func run() throws {
    let tree = configurationTree(template: template, config: config, overrides: overrides)
    guard !name.isEmpty, !name.contains("/") else {
      fail("--name: expected a plain folder name, got '\(name)'", status: 2)
    }
    let folder = RunFolder(path: results + "/" + name)
    if FileManager.default.fileExists(atPath: folder.path) && !overwrite {
      fail(ExperimentError.runFolderExists(path: folder.path).description, status: 2)
    }
    do {
      let runner = try ExperimentRunner(tree: tree, folder: folder, quick: quick)
      stopOnInterrupt(runner, stopAfterEpochs: stopAfterEpochs, stopAfterSteps: stopAfterSteps)
      attachTerminal(runner)
      if try runner.run(resuming: false, overwrite: overwrite) == nil { throw ExitCode(130) }
    } catch let error as ExitCode {
      throw error
    } catch {
      fail("\(error)", status: 1)
    }
  }
}

/// The configuration a run folder was started with.
func runFolderTree(_ folder: RunFolder) -> ConfigurationTree {
  guard let text = try? String(contentsOfFile: folder.configuration, encoding: .utf8) else {
    fail(ExperimentError.notARunFolder(path: folder.path, missing: "config.yaml").description, status: 2)
  }
  do {
    return try ConfigurationTree.parse(yaml: text, source: folder.configuration)
  } catch {
    fail(error.description, status: 2)
  }
}

struct Resume: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Continue a stopped run from its last checkpoint.")
  @Argument(help: "The run folder, e.g. Results/my_sparse_moe.") var runFolder: String
  @Option(help: .hidden) var stopAfterEpochs: Int?
  @Option(help: .hidden) var stopAfterSteps: Int?

  func run() throws {
    let folder = RunFolder(path: runFolder)
    let tree = runFolderTree(folder)
    do {
      let runner = try ExperimentRunner(tree: tree, folder: folder, quick: folder.wasQuick)
      stopOnInterrupt(runner, stopAfterEpochs: stopAfterEpochs, stopAfterSteps: stopAfterSteps)
      attachTerminal(runner)
      if try runner.run(resuming: true) == nil { throw ExitCode(130) }
    } catch let error as ExitCode {
      throw error
    } catch {
      fail("\(error)", status: 1)
    }
  }
}

struct Evaluate: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Evaluate a run's best parameters on its test split.")
  @Argument(help: "The run folder.") var runFolder: String

  func run() throws {
    let folder = RunFolder(path: runFolder)
    let tree = runFolderTree(folder)
    do {
      let report = try ExperimentRunner(tree: tree, folder: folder, quick: folder.wasQuick).evaluateBest()
      print(report.table())
    } catch {
      fail("\(error)", status: 1)
    }
  }
}

struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a run's best parameters: safetensors with PyTorch names and a PyTorch loader, or ONNX.")
  @Argument(help: "The run folder.") var runFolder: String
  @Option(help: "safetensors (with a PyTorch loader) or onnx") var format = "safetensors"
  @Option(help: "Where to write (default: <run folder>/export).") var output: String?

  func run() throws {
    guard RunExport.formats.contains(format) else {
      fail(ExperimentError.unsupportedExport(format: format, known: RunExport.formats).description, status: 2)
    }
    let folder = RunFolder(path: runFolder)
    let tree = runFolderTree(folder)
    do {
      let runner = try ExperimentRunner(tree: tree, folder: folder, quick: folder.wasQuick)
      for file in try RunExport.write(runner, to: output ?? folder.path + "/export", format: format) {
        print("wrote \(file)")
      }
    } catch let error as ExperimentError {
      if case .notExportable = error { fail(error.description, status: 2) }
      fail(error.description, status: 1)
    } catch {
      fail("\(error)", status: 1)
    }
  }
}

struct Templates: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "List the templates.")
  func run() throws {
    let width = ExperimentTemplates.names.map(\.count).max() ?? 0
    for template in ExperimentTemplates.all {
      print(template.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + template.summary)
    }
  }
}

struct Show: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "Print a template's YAML.")
  @Argument(help: "The template.") var template: String
  func run() throws {
    do {
      print(try ExperimentTemplates.named(template).yaml, terminator: "")
    } catch {
      fail(error.description, status: 2)
    }
  }
}
