/// The lower-cased words of a sentence: runs of letters and digits; an apostrophe between two
/// letters stays inside the word ("he's", "don't"), other punctuation separates words.
///
///     wordTokens("The Rock is ''Conan'', isn't he?") == ["the", "rock", "is", "conan", "isn't", "he"]
public func wordTokens(_ text: String) -> [String] {
  let characters = Array(text.lowercased())
  var words: [String] = []
  var current = ""
  for (position, character) in characters.enumerated() {
    if character.isLetter || character.isNumber {
      current.append(character)
    } else if character == "'" && !current.isEmpty && (current.last?.isLetter ?? false)
      && position + 1 < characters.count && characters[position + 1].isLetter
    {
      current.append(character)
    } else if !current.isEmpty {
      words.append(current)
      current = ""
    }
  }
  if !current.isEmpty { words.append(current) }
  return words
}

/// The characters of a word, each as a one-character token ("niño" gives n, i, ñ, o).
public func characterTokens(_ word: String) -> [String] {
  word.map { String($0) }
}
