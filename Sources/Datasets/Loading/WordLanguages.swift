/// 20,000 lower-case words, 5,000 each of English, Spanish, Dutch and Portuguese, sampled from
/// Debian's word lists (each word in exactly one list), bundled with the package
/// (see Resources/WordLanguages/NOTICE.md).
public struct WordLanguages {
  /// Class names are the language codes of the file's first column.
  public static let classNames = ["en", "es", "nl", "pt"]
  static let header = ["lang", "word"]

  public let words: [String]
  /// Index into `classNames`.
  public let labels: [Int]

  public var count: Int { words.count }

  /// The bundled data.
  public static func load() throws -> WordLanguages {
    try load(path: bundledFilePath(folder: "WordLanguages", name: "wordlang-4.tsv.gz"))
  }

  /// A gzip-compressed TSV with the header `lang, word`; `lang` is one of en, es, nl, pt.
  public static func load(path: String) throws -> WordLanguages {
    let table = try DelimitedText(gunzip(file: path), separator: UInt8(ascii: "\t"), fieldCount: 2, file: path)
    guard let first = table.rows.first, first.fields == header else {
      throw DatasetError.badFormat(file: path, reason: "the header is not \(header.joined(separator: ", "))")
    }
    var words: [String] = []
    var labels: [Int] = []
    for (line, fields) in table.rows.dropFirst() {
      guard let label = classNames.firstIndex(of: fields[0]) else {
        throw DatasetError.badRow(
          file: path, line: line, reason: "language '\(fields[0])' is not one of \(classNames.joined(separator: ", "))")
      }
      if fields[1].isEmpty { throw DatasetError.badRow(file: path, line: line, reason: "empty word") }
      labels.append(label)
      words.append(fields[1])
    }
    if words.isEmpty { throw DatasetError.badFormat(file: path, reason: "no words after the header") }
    return WordLanguages(words: words, labels: labels)
  }

  /// The words as character ids with language labels, over a character vocabulary of all words
  /// unless one is given.
  public func sequences(vocabulary: Vocabulary? = nil) throws -> SequenceDataset {
    let vocabulary = vocabulary ?? .characters(of: words)
    return try SequenceDataset(
      tokenized: words.map(characterTokens), labels: labels, classNames: Self.classNames, vocabulary: vocabulary)
  }
}
