import Testing

@testable import LessonRendering

@Suite("Prose numbers")
struct ProseNumbersTests {
  @Test func decimalsPercentagesScientificAndLargeWholeNumbersCount() {
    #expect(
      ProseNumbers.quoted(inLine: "an MSE of 0.0109 on the line, 97.8% of Q1, weights below 1e-20, 325 parameters")
        == ["0.0109", "97.8%", "1e-20", "325"])
  }

  @Test func smallWholeNumbersYearsAndReferencesDoNotCount() {
    #expect(ProseNumbers.quoted(inLine: "three experts, expert 2 and 4 regimes (Jacobs et al., 1991)").isEmpty)
    #expect(ProseNumbers.quoted(inLine: "as chapter 12 and section 10 showed, see equation 11 and figure 13").isEmpty)
  }

  @Test func codeSpansIndentedFormulasAndGluedDigitsAreSkipped() {
    #expect(ProseNumbers.quoted(inLine: "with `learningRate: 0.003` and `1024` rows").isEmpty)
    #expect(ProseNumbers.quoted(inLine: "    y(x) = 0.5 * 100").isEmpty)
    #expect(ProseNumbers.quoted(inLine: "x1, 2D, the 3x3 grid, x = -1/3, 10/20").isEmpty)
  }

  @Test func signsAndSentencePunctuationAreNotPartOfTheNumber() {
    #expect(ProseNumbers.quoted(inLine: "it fell to -0.25. Then 12.5%, then 40.") == ["0.25", "12.5%", "40"])
  }

  @Test func aPercentageMatchesAPrintedColumnWithoutTheSign() {
    #expect(ProseNumbers.allNumbers(in: "expert 1  97.8%").isSuperset(of: ["97.8%", "97.8", "1"]))
  }

  @Test func staleNumbersNameTheChapterTheLineAndTheNumber() {
    let cells = [
      LiterateCell(
        kind: .markdown, lines: ["# 4. Combining", "The mixture reaches 0.0123, expert 1 0.5000."], line: 10),
      LiterateCell(kind: .code, lines: ["print(0.0123)"], line: 13),
      LiterateCell(kind: .markdown, lines: ["It wins 81.1% of Q3 and 64 points."], line: 15),
    ]
    let printed = "mixture MSE 0.0123\nexpert 1 alone 0.5001\nQ3 81.1\npoints: 64"
    let stale = ProseNumberCheck.staleNumbers(chapter: 4, cells: cells, printed: printed)
    #expect(stale == [StaleNumber(chapter: 4, line: 12, number: "0.5000")])
    #expect(
      stale.first?.description == "chapter 4, main.swift line 12: the prose quotes 0.5000, which the run does not print"
    )
  }

  @Test func printedOutputIsTheTextBlocksOfThePage() {
    let page = "<!-- %% -->\n```swift\nprint(1.5)\n```\n\n```text\nloss 1.5\n```\n"
    #expect(LessonRenderer.printedOutput(ofPage: page) == "loss 1.5")
  }
}
