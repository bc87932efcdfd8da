/// A map between tokens (words or characters) and integer ids.
///
/// Id 0 is `<pad>` (fills short sequences in a batch) and id 1 is `<unk>` (any token not kept);
/// the kept tokens follow, most frequent first, ties in lexicographic order, so the same corpus
/// always gives the same ids.
public struct Vocabulary: Equatable, Sendable {
  public static let padding = 0
  public static let unknown = 1
  public static let paddingToken = "<pad>"
  public static let unknownToken = "<unk>"

  /// Token of each id: `tokens[0] == "<pad>"`, `tokens[1] == "<unk>"`.
  public let tokens: [String]
  private let ids: [String: Int]

  /// The tokens of `sequences` that occur at least `minimumCount` times (rarer ones map to `<unk>`).
  public init(counting sequences: [[String]], minimumCount: Int = 1) {
    var counts: [String: Int] = [:]
    for sequence in sequences { for token in sequence { counts[token, default: 0] += 1 } }
    let kept = counts.filter { $0.value >= max(minimumCount, 1) }
      .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
      .map(\.key)
    self.init(
      tokens: [Self.paddingToken, Self.unknownToken]
        + kept.filter { $0 != Self.paddingToken && $0 != Self.unknownToken })
  }

  /// A word-level vocabulary of lower-cased sentences (see `wordTokens`).
  public static func words(of texts: [String], minimumCount: Int) -> Vocabulary {
    Vocabulary(counting: texts.map(wordTokens), minimumCount: minimumCount)
  }

  /// A character-level vocabulary: every character of `words`.
  public static func characters(of words: [String]) -> Vocabulary {
    Vocabulary(counting: words.map(characterTokens))
  }

  private init(tokens: [String]) {
    self.tokens = tokens
    self.ids = Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) })
  }

  /// Number of ids, `<pad>` and `<unk>` included.
  public var count: Int { tokens.count }

  /// The id of `token`, or `Vocabulary.unknown`.
  public func id(of token: String) -> Int { ids[token] ?? Self.unknown }

  public func encode(_ sequence: [String]) -> [Int] { sequence.map(id(of:)) }

  /// Tokens of `ids`; ids outside the vocabulary read as `<unk>`.
  public func decode(_ sequence: [Int]) -> [String] {
    sequence.map { $0 >= 0 && $0 < tokens.count ? tokens[$0] : Self.unknownToken }
  }

  public static func == (left: Vocabulary, right: Vocabulary) -> Bool { left.tokens == right.tokens }
}
