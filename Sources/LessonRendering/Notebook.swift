/// The lesson as a Jupyter notebook (nbformat 4.5): the same cells as the page, code cells with what they
/// printed as `stream` outputs and their figures as `display_data` PNG images (base64). Cell ids are
/// `cell-01`, `cell-02`, ...; keys are sorted and the layout is Jupyter's own, so the same lesson gives
/// the same bytes and a notebook saved again by Jupyter differs little.
public enum Notebook {
  /// The notebook's JSON text, ending with a newline.
  ///
  /// The notebook has no kernelspec: there is no Swift kernel to run the cells in, and a kernelspec
  /// naming one makes Jupyter fail with `NoSuchKernel` when a reader presses run. `readingNote`, when
  /// given, becomes a first markdown cell (id `reading-note`) saying so and how to run the chapter.
  /// Figures carry alternative text in their output metadata (`image/png` -> `alt`), which nbconvert
  /// and screen readers use.
  ///
  /// - Parameter figureBytes: the PNG bytes of a figure, given the path it was saved to.
  public static func render<Failure: Error>(
    cells: [LiterateCell], outputs: [[CellOutputItem]], readingNote: [String]? = nil,
    figureBytes: (String) throws(Failure) -> [UInt8]
  ) throws(Failure) -> String {
    var notebookCells: [JSONValue] = []
    if let readingNote {
      notebookCells.append(
        .object([
          "cell_type": .string("markdown"), "id": .string("reading-note"), "metadata": .object([:]),
          "source": source(readingNote),
        ]))
    }
    var executionCount = 0
    for (index, cell) in cells.enumerated() {
      let id = JSONValue.string("cell-" + (index + 1 < 10 ? "0" : "") + String(index + 1))
      switch cell.kind {
      case .markdown:
        notebookCells.append(
          .object(["cell_type": .string("markdown"), "id": id, "metadata": .object([:]), "source": source(cell.lines)]))
      case .code:
        executionCount += 1
        var cellOutputs: [JSONValue] = []
        for item in index < outputs.count ? outputs[index] : [] {
          switch item {
          case .text(let text):
            cellOutputs.append(
              .object(["name": .string("stdout"), "output_type": .string("stream"), "text": source(text + "\n")]))
          case .figure(let path):
            let png = try figureBytes(path)
            cellOutputs.append(
              .object([
                "data": .object([
                  "image/png": .string(base64(png)),
                  "text/plain": .array([.string("<Figure \(LessonPage.figureName(path))>")]),
                ]),
                "metadata": .object(["image/png": .object(["alt": .string(alternativeText(path))])]),
                "output_type": .string("display_data"),
              ]))
          }
        }
        notebookCells.append(
          .object([
            "cell_type": .string("code"), "execution_count": .integer(executionCount), "id": id,
            "metadata": .object([:]), "outputs": .array(cellOutputs), "source": source(cell.lines),
          ]))
      }
    }
    let notebook = JSONValue.object([
      "cells": .array(notebookCells),
      "metadata": .object([
        "language_info": .object(["file_extension": .string(".swift"), "name": .string("swift")])
      ]),
      "nbformat": .integer(4),
      "nbformat_minor": .integer(5),
    ])
    return notebook.serialized() + "\n"
  }

  /// `Figures/chapter-06/regions-before-after.png` -> `Figure: regions before after`.
  static func alternativeText(_ path: String) -> String {
    "Figure: " + String(LessonPage.figureName(path).map { $0 == "-" ? " " : $0 })
  }

  /// Lines as a notebook's multi-line string: every line but the last keeps its newline.
  static func source(_ lines: [String]) -> JSONValue {
    .array(lines.enumerated().map { index, line in .string(index + 1 < lines.count ? line + "\n" : line) })
  }

  /// Text as a notebook's multi-line string, split after each newline.
  static func source(_ text: String) -> JSONValue {
    let pieces = splitLines(text)
    var lines: [JSONValue] = []
    for (index, piece) in pieces.enumerated() {
      let isLast = index + 1 == pieces.count
      if isLast && piece.isEmpty { break }
      lines.append(.string(isLast ? String(piece) : piece + "\n"))
    }
    return .array(lines)
  }
}
