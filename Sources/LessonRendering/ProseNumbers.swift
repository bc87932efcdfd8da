/// The numbers a lesson's prose quotes, found so that they can be checked against what the chapter
/// printed: an engine change must not leave stale numbers in a lesson.
///
/// A number counts when it is
/// - a decimal (`0.0109`, `46.1443`), a number in scientific notation (`1e-20`) or a percentage
///   (`97.8%`, `12%`), or
/// - a whole number of 10 or more (`325`, `1008`) that is not a year (1900 to 2099, as in citations like
///   "Jacobs et al., 1991") and does not follow a reference word (`chapter 12`, `section 4`,
///   `equation 10`, `figure 11`, `part 10`, `issue 10`).
///
/// Whole numbers below 10 never count: they are counts and ordinals of the explanation ("three experts",
/// "expert 2"). Text in backticks (code spans, formulas) and indented lines (formula blocks) is skipped,
/// and so are numbers glued to letters (`x1`, `2D`) or written as a range of digits with `/` (`1/3`).
/// Signs are not part of a number: `-0.5` quotes `0.5`.
public enum ProseNumbers {
  static let referenceWords: Set<String> = [
    "chapter", "chapters", "section", "sections", "equation", "equations", "figure", "figures", "part",
    "parts", "issue", "issues", "eq", "step",
  ]

  /// The quoted numbers of one prose line, as written (`"97.8%"`, `"0.0109"`, `"325"`).
  public static func quoted(inLine line: String) -> [String] {
    if line.hasPrefix("    ") || line.hasPrefix("\t") { return [] }
    return tokens(in: withoutCodeSpans(line)).filter(\.counts).map(\.text)
  }

  /// Every number token of `text` (printed output), counted or not, as written, for matching.
  public static func allNumbers(in text: String) -> Set<String> {
    var numbers = Set<String>()
    for token in tokens(in: text) {
      numbers.insert(token.text)
      // A printed "97.8%" also backs a prose "97.8" ("97.8 percent").
      if token.text.hasSuffix("%") { numbers.insert(String(token.text.dropLast())) }
    }
    return numbers
  }

  struct Token {
    var text: String
    var counts: Bool
  }

  static func withoutCodeSpans(_ line: String) -> String {
    var result = ""
    var inCode = false
    for character in line {
      if character == "`" {
        inCode.toggle()
        result.append(" ")
      } else if !inCode {
        result.append(character)
      }
    }
    return result
  }

  static func tokens(in text: String) -> [Token] {
    let characters = Array(text)
    var tokens: [Token] = []
    var index = 0
    var previousWord = ""
    var word = ""
    while index < characters.count {
      let character = characters[index]
      guard character.isASCII, character.isNumber else {
        if character.isLetter {
          word.append(character)
        } else if !word.isEmpty {
          previousWord = word.lowercased()
          word = ""
        } else if !character.isWhitespace && character != "." {
          previousWord = ""
        }
        index += 1
        continue
      }
      let before: Character? = index > 0 ? characters[index - 1] : nil
      let start = index
      var isWhole = true
      while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
      if index + 1 < characters.count, characters[index] == ".", characters[index + 1].isASCII,
        characters[index + 1].isNumber
      {
        isWhole = false
        index += 1
        while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
      }
      if index + 1 < characters.count, characters[index] == "e" || characters[index] == "E" {
        var next = index + 1
        if next < characters.count, characters[next] == "-" || characters[next] == "+" { next += 1 }
        if next < characters.count, characters[next].isASCII, characters[next].isNumber {
          isWhole = false
          index = next
          while index < characters.count, characters[index].isASCII, characters[index].isNumber { index += 1 }
        }
      }
      if index < characters.count, characters[index] == "%" {
        isWhole = false
        index += 1
      }
      let tokenText = String(characters[start..<index])
      let after: Character? = index < characters.count ? characters[index] : nil
      let glued =
        (before.map { $0.isLetter || $0 == "_" || $0 == "." || $0 == "/" } ?? false)
        || (after.map { $0.isLetter || $0 == "_" || $0 == "/" } ?? false)
      var counts = !glued
      if counts && isWhole {
        let value = Int(tokenText) ?? 0
        counts = value >= 10 && !(1900...2099).contains(value) && !referenceWords.contains(previousWord)
      }
      tokens.append(Token(text: tokenText, counts: counts))
      word = ""
      previousWord = ""
    }
    return tokens
  }
}

/// A number in a prose cell that the chapter's run does not print.
public struct StaleNumber: Equatable, Sendable, CustomStringConvertible {
  /// The chapter's number.
  public var chapter: Int
  /// The 1-based line of `main.swift` (or of the page when the source line is unknown) holding it.
  public var line: Int
  /// The number as the prose writes it.
  public var number: String

  public var description: String {
    "chapter \(chapter), main.swift line \(line): the prose quotes \(number), which the run does not print"
  }
}

public enum ProseNumberCheck {
  /// The prose numbers of `cells` that appear nowhere in `printed` (the run's output and its report),
  /// in source order. `cells` come from `main.swift`, so lines are the source's.
  public static func staleNumbers(chapter: Int, cells: [LiterateCell], printed: String) -> [StaleNumber] {
    let available = ProseNumbers.allNumbers(in: printed)
    var stale: [StaleNumber] = []
    for cell in cells where cell.kind == .markdown {
      // The cell's content starts on the line after its marker.
      for (offset, text) in cell.lines.enumerated() {
        // A prose "81.1%" is backed by a printed "81.1" too: a table column headed as percentages.
        for number in ProseNumbers.quoted(inLine: text)
        where !available.contains(number)
          && !(number.hasSuffix("%") && available.contains(String(number.dropLast())))
        {
          stale.append(StaleNumber(chapter: chapter, line: cell.line + 1 + offset, number: number))
        }
      }
    }
    return stale
  }
}

extension LessonRenderer {
  /// The prose numbers of `chapter` that neither its code cells nor its committed page's printed output
  /// (the ```text blocks) contain. Runs nothing, and reads only committed files: the `report.json` of
  /// whatever run was made last is not evidence for the canonical page.
  public static func staleNumbers(chapter: ChapterFolder) throws(LessonError) -> [StaleNumber] {
    let sourceText = try Files.readText(chapter.sourcePath)
    let pageText = try Files.readText(chapter.pagePath)
    let cells = LiterateSource(text: sourceText).cells
    // Constants of the code (a batch size, a learning rate) are facts of the source, not results of the
    // run: the prose may restate them.
    var printed = cells.filter { $0.kind == .code }.flatMap(\.lines).joined(separator: "\n")
    printed += "\n" + printedOutput(ofPage: pageText)
    return ProseNumberCheck.staleNumbers(chapter: chapter.number, cells: cells, printed: printed)
  }

  /// The text of every ```text block of a page: what the chapter printed.
  static func printedOutput(ofPage pageText: String) -> String {
    var output: [String] = []
    var inOutput = false
    for line in splitLines(pageText) {
      if inOutput {
        if line == "```" { inOutput = false } else { output.append(line) }
      } else if line == "```text" {
        inOutput = true
      }
    }
    return output.joined(separator: "\n")
  }
}
