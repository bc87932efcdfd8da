import Tensors

/// Where a training loop's text goes: report lines to standard output, the bar to standard error. Tests
/// give one that records instead.
struct ProgressOutput {
  /// Prints one line of the chapter's output.
  var printLine: (String) -> Void
  /// Writes bar text (with its carriage returns and erase codes) to the terminal.
  var writeBar: (String) -> Void
  /// Makes what `printLine` wrote appear before what comes next on the other stream.
  var flush: () -> Void

  /// The process's standard output and standard error.
  static var standardStreams: ProgressOutput {
    ProgressOutput(
      printLine: { print($0) }, writeBar: { writeToStandardError($0) }, flush: { Terminal.flushStandardOutput() })
  }
}

/// A one-line progress bar drawn in place on standard error, for a person watching a terminal.
///
/// Only drawn when standard output and standard error are a terminal and the run is not captured for a
/// lesson page, so nothing of it reaches piped or rendered output. Redrawn only when the whole
/// percentage changes: at most 101 times a loop, however many epochs it has.
final class ProgressBar {
  /// Whether bars are drawn in this process: interactive terminal, not capturing cells.
  static var drawsOnThisTerminal: Bool { Terminal.isInteractive && !LessonCell.isCapturing }

  /// Width of the bar itself, in characters.
  static let barWidth = 30

  let total: Int
  private var shown: String?
  private var shownPercent = -1
  private var lastCompleted = -1
  private var lastLabel = ""

  let output: ProgressOutput

  init(total: Int, output: ProgressOutput = .standardStreams) {
    self.total = total
    self.output = output
  }

  deinit { erase() }

  /// Shows `completed` of `total` epochs done, with `label` (e.g. `epoch 120`) before the bar.
  func update(completed: Int, label: String) {
    lastCompleted = completed
    lastLabel = label
    let percent = Self.percent(completed: completed, total: total)
    if shown == nil || percent != shownPercent {
      draw(Self.line(label: label, completed: completed, total: total, width: Self.barWidth))
      shownPercent = percent
    }
  }

  /// Prints `text` on standard output without mixing it with the bar: erase, print, redraw.
  func printAbove(_ text: String) {
    let visible = shown != nil
    erase()
    output.printLine(text)
    output.flush()
    if visible, lastCompleted >= 0 {
      draw(Self.line(label: lastLabel, completed: lastCompleted, total: total, width: Self.barWidth))
    }
  }

  /// Removes the bar from the terminal line, if it is shown.
  func erase() {
    guard shown != nil else { return }
    output.writeBar("\r\u{1B}[K")
    shown = nil
  }

  private func draw(_ line: String) {
    output.flush()
    output.writeBar("\r\u{1B}[K" + line)
    shown = line
  }

  /// `epoch 120 [############------------------] 40%`: the label, a bar of `width` characters filled in
  /// proportion to `completed / total`, and the whole percentage.
  static func line(label: String, completed: Int, total: Int, width: Int) -> String {
    let filled = total > 0 ? min(width, max(0, completed * width / total)) : width
    let percent = percent(completed: completed, total: total)
    let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
    return "\(label) [\(bar)] \(percent)%"
  }

  /// The whole percentage of `completed / total`, between 0 and 100.
  static func percent(completed: Int, total: Int) -> Int {
    total > 0 ? min(100, max(0, completed * 100 / total)) : 100
  }
}
