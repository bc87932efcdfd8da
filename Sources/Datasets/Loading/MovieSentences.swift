/// 10,605 movie-review sentences with crowd sentiment ratings (Hutto and Gilbert, VADER, ICWSM 2014;
/// the sentences are Pang and Lee's Rotten Tomatoes snippets), bundled with the package
/// (see Resources/MovieSentences/NOTICE.md).
public struct MovieSentences {
  public static let classNames = ["negative", "positive"]
  /// The crowd ratings lie in [-ratingBound, ratingBound].
  public static let ratingBound: Float = 4
  static let header = ["id", "label", "mean_rating", "text"]

  public let ids: [Int]
  public let texts: [String]
  /// 1 = positive, 0 = negative (which of Pang and Lee's files the sentence came from).
  public let labels: [Int]
  /// Mean rating of about 20 raters, in [-4, 4].
  public let ratings: [Float]

  public var count: Int { texts.count }

  /// The bundled data.
  public static func load() throws -> MovieSentences {
    try load(path: bundledFilePath(folder: "MovieSentences", name: "vader-movie-snippets.tsv.gz"))
  }

  /// A gzip-compressed TSV with the header `id, label, mean_rating, text` and one sentence per row.
  public static func load(path: String) throws -> MovieSentences {
    let table = try DelimitedText(gunzip(file: path), separator: UInt8(ascii: "\t"), fieldCount: 4, file: path)
    guard let first = table.rows.first, first.fields == header else {
      throw DatasetError.badFormat(file: path, reason: "the header is not \(header.joined(separator: ", "))")
    }
    var ids: [Int] = []
    var texts: [String] = []
    var labels: [Int] = []
    var ratings: [Float] = []
    for (line, fields) in table.rows.dropFirst() {
      ids.append(try integerField(fields[0], column: "id", file: path, line: line))
      let label = try integerField(fields[1], column: "label", file: path, line: line)
      if label != 0 && label != 1 {
        throw DatasetError.badRow(file: path, line: line, reason: "label \(label) is not 0 or 1")
      }
      guard let rating = Float(fields[2]), abs(rating) <= ratingBound else {
        throw DatasetError.badRow(
          file: path, line: line, reason: "mean_rating '\(fields[2])' is not a number in [-4, 4]")
      }
      labels.append(label)
      ratings.append(rating)
      texts.append(fields[3])
    }
    if texts.isEmpty { throw DatasetError.badFormat(file: path, reason: "no sentences after the header") }
    return MovieSentences(ids: ids, texts: texts, labels: labels, ratings: ratings)
  }

  /// The sentences at `indices`, in that order.
  public func subset(_ indices: [Int]) -> MovieSentences {
    MovieSentences(
      ids: indices.map { ids[$0] }, texts: indices.map { texts[$0] }, labels: indices.map { labels[$0] },
      ratings: indices.map { ratings[$0] })
  }

  /// Lower-cased words of each sentence (`wordTokens`).
  public func tokenized() -> [[String]] { texts.map(wordTokens) }

  /// The sentences as word ids with binary labels. Build `vocabulary` from the training sentences
  /// only (`Vocabulary.words(of:minimumCount:)`), so validation words it never saw read as `<unk>`.
  public func sequences(vocabulary: Vocabulary) throws -> SequenceDataset {
    try SequenceDataset(tokenized: tokenized(), labels: labels, classNames: Self.classNames, vocabulary: vocabulary)
  }
}
