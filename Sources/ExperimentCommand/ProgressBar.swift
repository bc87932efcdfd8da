import Experiments
import Foundation
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// A one-line bar on standard error while an epoch trains, `epoch 3 of 29 [########----------] 12/20`,
/// drawn only when standard error is a terminal (piped output gets the plain epoch lines alone) and
/// erased before each epoch line is printed.
final class TerminalProgressBar: TrainingObserver {
  let runner: ExperimentRunner
  private var shown = false
  static var isTerminal: Bool { isatty(2) != 0 }

  init(runner: ExperimentRunner) { self.runner = runner }

  func batchDidEnd(epoch: Int, batch: Int, of batchCount: Int, loss: Float) {
    let width = 30
    let filled = batchCount > 0 ? (batch + 1) * width / batchCount : width
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    let label = "epoch \(runner.currentEpoch) of \(runner.epochCount - 1) [\(bar)] \(batch + 1)/\(batchCount)"
    FileHandle.standardError.write(Data("\r\u{1B}[K\(label)".utf8))
    shown = true
  }

  /// Removes the bar so the next line starts clean.
  func erase() {
    guard shown else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    shown = false
  }
}

/// Connects a runner to the terminal: a progress bar when there is one, and log lines that erase it.
/// Piped, each line is flushed as it is printed, so `| tee` or a supervising program sees the epochs
/// as they end rather than when the run exits.
func attachTerminal(_ runner: ExperimentRunner) {
  guard TerminalProgressBar.isTerminal else {
    runner.log = { line in
      print(line)
      fflush(nil)
    }
    return
  }
  let bar = TerminalProgressBar(runner: runner)
  runner.observer = bar
  runner.log = { line in
    bar.erase()
    print(line)
    fflush(nil)
  }
}
