/// The lesson as a Jupyter notebook (nbformat 4.5): the same cells as the page, code cells with what they
/// printed as `stream` outputs and their figures as `display_data` PNG images (base64). Cell ids are
/// `cell-01`, `cell-02`, ...; keys are sorted and the layout is Jupyter's own, so the same lesson gives
/// the same bytes and a notebook saved again by Jupyter differs little.
public enum Notebook {
  /// The notebook's JSON text, ending with a newline.
  ///
  /// - Parameter figureBytes: the PNG bytes of a figure, given the path it was saved to.
  public static func render<Failure: Error>(
    cells: [LiterateCell], outputs: [[CellOutputItem]], figureBytes: (String) throws(Failure) -> [UInt8]
  ) throws(Failure) -> String {
    var notebookCells: [JSONValue] = []
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
                "metadata": .object([:]),
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
        "kernelspec": .object([
          "display_name": .string("Swift"), "language": .string("swift"), "name": .string("swift"),
        ]),
        "language_info": .object(["file_extension": .string(".swift"), "name": .string("swift")]),
      ]),
      "nbformat": .integer(4),
      "nbformat_minor": .integer(5),
    ])
    return notebook.serialized() + "\n"
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
