import Testing

@testable import LessonRendering

@Suite("Percent-format parsing")
struct LiterateSourceTests {
  @Test func markersStartProseAndCodeCells() {
    let source = LiterateSource(
      text: """
        // %% [markdown]
        // # Title
        //
        // Some *prose*.

        // %%
        let x = 1
        print(x)

        // %% [md]
        // More prose.
        // %% A titled code cell
        print(2)
        """)
    #expect(
      source.cells == [
        LiterateCell(kind: .markdown, lines: ["# Title", "", "Some *prose*."], line: 1),
        LiterateCell(kind: .code, lines: ["let x = 1", "print(x)"], line: 6),
        LiterateCell(kind: .markdown, lines: ["More prose."], line: 10),
        LiterateCell(kind: .code, lines: ["print(2)"], line: 12),
      ])
    #expect(source.markerLineIndices == [0, 5, 9, 11])
  }

  @Test func proseKeepsIndentationAfterThePrefix() {
    #expect(LiterateSource.prose("//     indented code") == "    indented code")
    #expect(LiterateSource.prose("//") == "")
    #expect(LiterateSource.prose("//no space") == "no space")
    #expect(LiterateSource.prose("not a comment") == "not a comment")
  }

  @Test func onlyColumnZeroMarkersCount() {
    let source = LiterateSource(
      text: """
        // %%
        func f() {
          // %%
          print("// %%")
        }
         // %%
        // %%%
        //%%
        """)
    #expect(source.cells.count == 1)
    #expect(source.cells[0].lines.count == 7)
  }

  @Test func markersInsideStringsCommentsAndBracketsAreText() {
    let source = LiterateSource(
      text: """
        // %%
        let text = \"\"\"
        // %%
        \"\"\"
        /* a comment
        // %%
        */
        let raw = #\"\"\"
        \"\"\"
        // %%
        \"\"\"#
        let values = [
        // %%
          1,
        ]
        run {
        // %%
        }
        let quote = "\\"{"
        // %%
        print(text)
        """)
    #expect(source.cells.map(\.line) == [1, 20])
    #expect(source.cells[1].lines == ["print(text)"])
  }

  @Test func textBeforeTheFirstMarkerIsACodeCell() {
    let source = LiterateSource(text: "import Lessons\n\n// %% [markdown]\n// Prose\n")
    #expect(source.cells[0] == LiterateCell(kind: .code, lines: ["import Lessons"], line: 1))
    #expect(source.markerLineIndices == [nil, 2])
  }

  @Test func blankTextBeforeTheFirstMarkerIsDropped() {
    let source = LiterateSource(text: "\n\n// %%\nprint(1)\n")
    #expect(source.cells == [LiterateCell(kind: .code, lines: ["print(1)"], line: 3)])
  }

  @Test func blankLinesAroundCellsAreTrimmedButNotInside() {
    let source = LiterateSource(text: "// %%\n\n\nlet a = 1\n\nlet b = 2\n  \n\n// %%\n")
    #expect(source.cells[0].lines == ["let a = 1", "", "let b = 2"])
    #expect(source.cells[1].lines == [])
  }

  @Test func crlfReadsAsLF() {
    let source = LiterateSource(text: "// %% [markdown]\r\n// Prose\r\n\r\n// %%\r\nprint(1)\r\n")
    #expect(source.cells.map(\.lines) == [["Prose"], ["print(1)"]])
    #expect(source.cells.map(\.kind) == [.markdown, .code])
  }

  @Test func emptyFileHasNoCells() {
    #expect(LiterateSource(text: "").cells.isEmpty)
  }

  @Test func codeIsVerbatim() {
    let source = LiterateSource(text: "// %%\n\tlet x = 1   \n// not prose, a comment\n")
    #expect(source.cells[0].lines == ["\tlet x = 1   ", "// not prose, a comment"])
  }
}
