/// The cell boundaries of a running chapter, for the lesson renderer.
///
/// Chapters never call this themselves: `LiterateChapterPlugin` compiles an instrumented copy of
/// `main.swift` in which every `// %%` marker line starts with `LessonCell.begin(n); `, on the same line,
/// so line numbers (and compiler errors) stay those of the chapter's own file.
///
/// When the environment variable `LESSON_CELL_MARKERS` is `1` (the renderer sets it), each call prints a
/// marker line `\u{1E}lesson-cell n\u{1E}` on standard output, after flushing what the previous cell
/// printed; output then belongs to the cell that was running when it was printed, even when a function
/// defined in an earlier cell printed it. Without the variable the call does nothing.
public enum LessonCell {
  /// The marker's delimiter: ASCII record separator, which no lesson prints.
  public static let delimiter = "\u{1E}"

  /// Whether markers are printed: `LESSON_CELL_MARKERS=1`, read once.
  public static let isCapturing: Bool = Terminal.environment("LESSON_CELL_MARKERS") == "1"

  /// The marker line for cell `index` (1-based, in source order), without the newline.
  public static func marker(_ index: Int) -> String { "\(delimiter)lesson-cell \(index)\(delimiter)" }

  /// Marks the start of cell `index`: prints its marker line in capture mode, does nothing otherwise.
  public static func begin(_ index: Int) {
    guard isCapturing else { return }
    Terminal.flushStandardOutput()
    print(marker(index))
    Terminal.flushStandardOutput()
  }
}
