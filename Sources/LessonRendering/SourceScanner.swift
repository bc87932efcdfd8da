/// Reads Swift source line by line and tells which lines start at the top level: outside comments,
/// string literals and brackets. Only such lines can be cell markers, so a `// %%` inside a multi-line
/// string, a block comment or a function body is text, not a cell boundary.
///
/// A light lexer, not a parser: it knows line and block comments (nested), single-line and multi-line
/// string literals (raw ones too, `#"..."#`), and counts `{ ( [` against `} ) ]`. String interpolations
/// are skipped with their string, which is what a line-level decision needs.
struct SourceScanner {
  private var blockCommentDepth = 0
  /// The number of `#` around the multi-line string being read, when inside one.
  private var multilineStringHashes: Int?
  private var bracketDepth = 0

  /// True when the next line begins outside comments, strings and brackets.
  var isAtTopLevel: Bool { blockCommentDepth == 0 && multilineStringHashes == nil && bracketDepth == 0 }

  /// Advances over one line (without its line break).
  mutating func scan(_ line: String) {
    let bytes = Array(line.utf8)
    var index = 0
    func starts(with text: String, at position: Int) -> Bool {
      let pattern = Array(text.utf8)
      guard position + pattern.count <= bytes.count else { return false }
      return Array(bytes[position..<(position + pattern.count)]) == pattern
    }
    func hashes(at position: Int) -> Int {
      var count = 0
      while position + count < bytes.count, bytes[position + count] == UInt8(ascii: "#") { count += 1 }
      return count
    }

    while index < bytes.count {
      if blockCommentDepth > 0 {
        if starts(with: "/*", at: index) {
          blockCommentDepth += 1
          index += 2
        } else if starts(with: "*/", at: index) {
          blockCommentDepth -= 1
          index += 2
        } else {
          index += 1
        }
        continue
      }
      if let hashCount = multilineStringHashes {
        if hashCount == 0, bytes[index] == UInt8(ascii: "\\") {
          index += 2
        } else if starts(with: "\"\"\"", at: index), hashes(at: index + 3) >= hashCount {
          multilineStringHashes = nil
          index += 3 + hashCount
        } else {
          index += 1
        }
        continue
      }
      if starts(with: "//", at: index) { return }
      if starts(with: "/*", at: index) {
        blockCommentDepth = 1
        index += 2
        continue
      }
      let hashCount = hashes(at: index)
      if starts(with: "\"\"\"", at: index + hashCount) {
        multilineStringHashes = hashCount
        index += hashCount + 3
        continue
      }
      if starts(with: "\"", at: index + hashCount) {
        index = endOfSingleLineString(bytes, openingQuote: index + hashCount, hashes: hashCount)
        continue
      }
      switch bytes[index] {
      case UInt8(ascii: "{"), UInt8(ascii: "("), UInt8(ascii: "["): bracketDepth += 1
      case UInt8(ascii: "}"), UInt8(ascii: ")"), UInt8(ascii: "]"): bracketDepth = max(0, bracketDepth - 1)
      default: break
      }
      index += max(1, hashCount)
    }
  }

  /// The index after the closing quote (and hashes) of the string opened at `openingQuote`, or the end of
  /// the line for an unterminated one.
  private func endOfSingleLineString(_ bytes: [UInt8], openingQuote: Int, hashes: Int) -> Int {
    var index = openingQuote + 1
    while index < bytes.count {
      if hashes == 0, bytes[index] == UInt8(ascii: "\\") {
        index += 2
        continue
      }
      if bytes[index] == UInt8(ascii: "\"") {
        var closing = 0
        while closing < hashes, index + 1 + closing < bytes.count, bytes[index + 1 + closing] == UInt8(ascii: "#") {
          closing += 1
        }
        if closing == hashes { return index + 1 + hashes }
      }
      index += 1
    }
    return bytes.count
  }
}
