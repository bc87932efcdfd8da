import Foundation
import Testing

@testable import LessonRendering

@Suite("Notebook")
struct NotebookTests {
  static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

  let cells = [
    LiterateCell(kind: .markdown, lines: ["# Title", "", "Prose with a path a/b and \"quotes\"."]),
    LiterateCell(kind: .code, lines: ["let x = 1", "print(\"\\(x)\")"]),
    LiterateCell(kind: .code, lines: ["plot()"]),
  ]
  let outputs: [[CellOutputItem]] = [
    [], [.text("x is 1\nünïcode ✓")], [.figure(path: "Figures/chapter-01/loss.png"), .text("done")],
  ]

  func render() -> String {
    Notebook.render(cells: cells, outputs: outputs) { _ in Self.pngSignature + [0, 1, 2, 3, 255] }
  }

  func parsed() throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(render().utf8))
    return try #require(object as? [String: Any])
  }

  @Test func isDeterministic() {
    #expect(render() == render())
    #expect(render().hasSuffix("}\n"))
  }

  @Test func hasTheNotebookFormatFields() throws {
    let notebook = try parsed()
    #expect(notebook["nbformat"] as? Int == 4)
    #expect(notebook["nbformat_minor"] as? Int == 5)
    let metadata = try #require(notebook["metadata"] as? [String: Any])
    // No kernelspec: naming a Swift kernel that is not installed makes Jupyter fail with NoSuchKernel.
    #expect(metadata["kernelspec"] == nil)
    let language = try #require(metadata["language_info"] as? [String: String])
    #expect(language["name"] == "swift")
  }

  @Test func cellsKeepTheirTextIdsAndOutputs() throws {
    let notebookCells = try #require(try parsed()["cells"] as? [[String: Any]])
    #expect(notebookCells.map { $0["id"] as? String } == ["cell-01", "cell-02", "cell-03"])
    #expect(notebookCells.map { $0["cell_type"] as? String } == ["markdown", "code", "code"])
    for (cell, expected) in zip(notebookCells, cells) {
      let source = try #require(cell["source"] as? [String])
      #expect(source.joined() == expected.lines.joined(separator: "\n"))
    }
    #expect(notebookCells[0]["outputs"] == nil)
    #expect(notebookCells[1]["execution_count"] as? Int == 1)
    let stream = try #require((notebookCells[1]["outputs"] as? [[String: Any]])?.first)
    #expect(stream["output_type"] as? String == "stream")
    #expect(stream["name"] as? String == "stdout")
    #expect((stream["text"] as? [String]) == ["x is 1\n", "ünïcode ✓\n"])
  }

  @Test func figuresAreEmbeddedPNG() throws {
    let notebookCells = try #require(try parsed()["cells"] as? [[String: Any]])
    let outputs = try #require(notebookCells[2]["outputs"] as? [[String: Any]])
    #expect(outputs.map { $0["output_type"] as? String } == ["display_data", "stream"])
    let data = try #require(outputs[0]["data"] as? [String: Any])
    let encoded = try #require(data["image/png"] as? String)
    let decoded = try #require(Data(base64Encoded: encoded))
    #expect(Array(decoded.prefix(8)) == Self.pngSignature)
    #expect(Array(decoded) == Self.pngSignature + [0, 1, 2, 3, 255])
    let metadata = try #require(outputs[0]["metadata"] as? [String: [String: String]])
    #expect(metadata == ["image/png": ["alt": "Figure: loss"]], "figures carry alternative text")
  }

  @Test func aReadingNoteComesFirstAndKeepsTheOtherIds() throws {
    let text = Notebook.render(cells: cells, outputs: outputs, readingNote: ["> For reading.", "> Run it."]) { _ in
      Self.pngSignature
    }
    let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let notebookCells = try #require(object["cells"] as? [[String: Any]])
    #expect(notebookCells.map { $0["id"] as? String } == ["reading-note", "cell-01", "cell-02", "cell-03"])
    #expect(notebookCells[0]["cell_type"] as? String == "markdown")
    #expect((notebookCells[0]["source"] as? [String]) == ["> For reading.\n", "> Run it."])
  }

  @Test func slashesAreNotEscapedAndKeysAreSorted() {
    let text = render()
    #expect(text.contains("a/b"))
    #expect(!text.contains("\\/"))
    let object = JSONValue.object(["b": .array([]), "a": .object(["d": .null, "c": .integer(1)])])
    #expect(object.serialized() == "{\n \"a\": {\n  \"c\": 1,\n  \"d\": null\n },\n \"b\": []\n}")
  }

  @Test func base64MatchesFoundation() {
    for count in 0..<12 {
      let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 * 37 + 11) }
      #expect(base64(bytes) == Data(bytes).base64EncodedString())
    }
  }

  @Test func jsonStringsEscapeControlCharacters() {
    #expect(JSONValue.string("a\"b\\c\n\t\u{01}").serialized() == "\"a\\\"b\\\\c\\n\\t\\u0001\"")
  }
}
