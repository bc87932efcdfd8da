import Datasets
import Testing

@Suite struct TextTests {
  @Test func wordTokensAreLowerCasedAndKeepInnerApostrophes() {
    #expect(wordTokens("The Rock is ''Conan'', isn't he?") == ["the", "rock", "is", "conan", "isn't", "he"])
    #expect(wordTokens("  co writer/director J.R.R. 21st ") == ["co", "writer", "director", "j", "r", "r", "21st"])
    #expect(wordTokens("...") == [])
  }

  @Test func characterTokensKeepAccentedLetters() {
    #expect(characterTokens("niño") == ["n", "i", "ñ", "o"])
  }

  @Test func vocabularyReservesPaddingAndUnknownAndOrdersByCount() {
    let vocabulary = Vocabulary(counting: [["b", "a", "c"], ["a", "b", "d"], ["a"]], minimumCount: 2)
    #expect(vocabulary.tokens == ["<pad>", "<unk>", "a", "b"])
    #expect(Vocabulary.padding == 0 && Vocabulary.unknown == 1)
    #expect(vocabulary.encode(["a", "b", "c", "zebra"]) == [2, 3, 1, 1])
    #expect(vocabulary.decode([2, 3, 0, 1, 99]) == ["a", "b", "<pad>", "<unk>", "<unk>"])
  }

  @Test func wordVocabularyComesFromTheSentences() {
    let vocabulary = Vocabulary.words(of: ["Good film.", "a good, GOOD film", "bad"], minimumCount: 2)
    #expect(vocabulary.tokens == ["<pad>", "<unk>", "good", "film"])
  }

  @Test func characterVocabularyBreaksTiesAlphabetically() {
    #expect(Vocabulary.characters(of: ["ba", "c"]).tokens == ["<pad>", "<unk>", "a", "b", "c"])
  }

  @Test func movieSentencesBecomeWordSequences() throws {
    let folder = try FixtureFolder()
    let path = try folder.writeGzip(
      "sentences.tsv.gz", text: "id\tlabel\tmean_rating\ttext\n1\t1\t2.0\tA good film.\n2\t0\t-2.0\tA bad film, bad.\n")
    let sentences = try MovieSentences.load(path: path)
    let vocabulary = Vocabulary(counting: sentences.subset([0]).tokenized())
    let data = try sentences.sequences(vocabulary: vocabulary)
    #expect(data.classNames == ["negative", "positive"] && data.labels == [1, 0])
    #expect(data.vocabulary.decode(data.sequences[0]) == ["a", "good", "film"])
    #expect(data.vocabulary.decode(data.sequences[1]) == ["a", "<unk>", "film", "<unk>"])
  }
}
