import Datasets
import Foundation
import Testing

@Suite struct BundledDataTests {
  @Test func mnist5kHas500ImagesPerDigitScaledToUnitRange() throws {
    let data = try MNIST5k.load()
    #expect(data.inputs.shape == [5000, 784] && MNIST5k.side * MNIST5k.side == 784)
    #expect(data.classCounts == Array(repeating: 500, count: 10))
    #expect(data.inputs.scalars.min() == 0 && data.inputs.scalars.max() == 1)
    // Stored sorted by class: the first image is a 0 and the last a 9.
    #expect(data.labels.first == 0 && data.labels.last == 9)
  }

  @Test func digitsAre1797ImagesOf8x8() throws {
    let data = try Digits.load()
    #expect(data.inputs.shape == [1797, 64] && data.classCounts.count == 10)
    #expect(data.classCounts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
    // First row of the file: 0,0,5,13,9,1,0,0,... label 0.
    #expect(Array(data.inputs.scalars[0..<4]) == [0, 0, 5.0 / 16, 13.0 / 16] && data.labels[0] == 0)
    #expect(data.inputs.scalars.max() == 1)
  }

  @Test func movieSentencesKeepTextLabelAndRating() throws {
    let data = try MovieSentences.load()
    #expect(data.count == 10605)
    #expect(data.labels.filter { $0 == 1 }.count == 5152)
    #expect(zip(data.ids, data.labels).allSatisfy { id, label in label == (id <= 5152 ? 1 : 0) })
    #expect(data.texts[0].hasPrefix("The Rock is destined") && data.ratings[0] == 2.2667)
    #expect(data.ratings.allSatisfy { abs($0) <= 4 })
  }

  @Test func wordLanguagesHave5000WordsPerLanguage() throws {
    let data = try WordLanguages.load()
    #expect(data.count == 20000 && WordLanguages.classNames == ["en", "es", "nl", "pt"])
    #expect((0..<4).map { language in data.labels.filter { $0 == language }.count } == [5000, 5000, 5000, 5000])
    #expect(data.words[0] == "doorgebracht" && data.labels[0] == 2)
    let sequences = try data.sequences()
    #expect(sequences.lengths.allSatisfy { (4...15).contains($0) })
    #expect(sequences.vocabulary.decode(sequences.sequences[0]).joined() == "doorgebracht")
  }
}

@Suite struct BrokenFileTests {
  let folder: FixtureFolder
  init() throws { folder = try FixtureFolder() }

  func mnistFiles(
    imageMagic: Int = 0x803, labelMagic: Int = 0x801, images: Int = 2, labels: Int = 2, side: Int = 28,
    pixelBytes: Int? = nil, labelValues: [UInt8]? = nil
  ) throws -> (String, String) {
    let pixels = [UInt8](repeating: 255, count: pixelBytes ?? images * side * side)
    let imagePath = try folder.writeGzip(
      "images.gz", idxHeader(magic: imageMagic, sizes: [images, side, side]) + pixels)
    let labelPath = try folder.writeGzip(
      "labels.gz", idxHeader(magic: labelMagic, sizes: [labels]) + (labelValues ?? (0..<labels).map { UInt8($0 % 10) }))
    return (imagePath, labelPath)
  }

  func mnistError(_ files: (String, String)) -> String? {
    datasetErrorDescription { _ = try MNIST5k.load(images: files.0, labels: files.1) }
  }

  @Test func aWellFormedSmallMNISTFileLoads() throws {
    let (images, labels) = try mnistFiles(labelValues: [3, 7])
    let data = try MNIST5k.load(images: images, labels: labels)
    #expect(data.inputs.shape == [2, 784] && data.labels == [3, 7] && data.inputs.scalars.allSatisfy { $0 == 1 })
  }

  @Test func mnistWithABadMagicThrows() throws {
    let files = try mnistFiles(imageMagic: 0x801)
    #expect(mnistError(files) == "\(files.0): IDX magic 0x801, expected 0x803")
  }

  @Test func mnistWithWrongSizesThrows() throws {
    let files = try mnistFiles(pixelBytes: 2 * 784 - 1)
    #expect(mnistError(files) == "\(files.0): sizes [2, 28, 28] need 1568 data bytes, the file has 1567")
    let smaller = try mnistFiles(side: 27)
    #expect(mnistError(smaller) == "\(smaller.0): images are 27x27, expected 28x28")
  }

  @Test func mnistWithMoreLabelsThanImagesThrows() throws {
    let files = try mnistFiles(labels: 3)
    #expect(mnistError(files) == "\(files.1): 3 labels for 2 images in \(files.0)")
  }

  @Test func mnistWithALabelOutOfRangeThrows() throws {
    let files = try mnistFiles(labelValues: [1, 10])
    #expect(mnistError(files) == "\(files.1): label 10 of image 1 is outside 0..9")
  }

  @Test func mnistWithAShortGzipStreamThrows() throws {
    let (images, labels) = try mnistFiles()
    let compressed = try Array(readFile(images))
    let short = try folder.write("short.gz", Array(compressed[0..<(compressed.count - 6)]))
    #expect(mnistError((short, labels))?.hasPrefix("\(short): bad gzip stream: truncated") == true)
  }

  @Test func mnistThatIsMissingThrows() throws {
    let (_, labels) = try mnistFiles()
    #expect(mnistError((folder.path + "/none.gz", labels))?.contains("No such file or directory") == true)
  }

  func readFile(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }

  @Test func digitsRowsWithTheWrongFieldCountOrValuesThrow() throws {
    let row = Array(repeating: "0", count: 64).joined(separator: ",")
    let short = try folder.writeGzip("short.csv.gz", text: "\(row),1\n\(row)\n")
    #expect(datasetErrorDescription { _ = try Digits.load(path: short) } == "\(short): line 2: 64 fields, expected 65")
    let label = try folder.writeGzip("label.csv.gz", text: "\(row),10\n")
    #expect(
      datasetErrorDescription { _ = try Digits.load(path: label) } == "\(label): line 1: label 10 is outside 0..9")
    let pixel = try folder.writeGzip("pixel.csv.gz", text: "17," + row.dropFirst(2) + ",3\n")
    #expect(
      datasetErrorDescription { _ = try Digits.load(path: pixel) } == "\(pixel): line 1: pixel 0 is 17, outside 0..16")
    let word = try folder.writeGzip("word.csv.gz", text: "\(row),one\n")
    #expect(
      datasetErrorDescription { _ = try Digits.load(path: word) } == "\(word): line 1: label 'one' is not an integer")
    let good = try folder.writeGzip("good.csv.gz", text: "16," + row.dropFirst(2) + ",3\r\n")
    let data = try Digits.load(path: good)
    #expect(data.labels == [3] && data.inputs.scalars[0] == 1 && data.inputs.scalars[1] == 0)
  }

  @Test func movieSentenceRowsThatAreMalformedThrow() throws {
    let header = "id\tlabel\tmean_rating\ttext\n"
    let fields = try folder.writeGzip("fields.tsv.gz", text: header + "1\t1\t2.5\tgood\n2\t0\t-1.0\n")
    #expect(
      datasetErrorDescription { _ = try MovieSentences.load(path: fields) } == "\(fields): line 3: 3 fields, expected 4"
    )
    let label = try folder.writeGzip("label.tsv.gz", text: header + "1\t2\t2.5\tgood\n")
    #expect(
      datasetErrorDescription { _ = try MovieSentences.load(path: label) } == "\(label): line 2: label 2 is not 0 or 1")
    let rating = try folder.writeGzip("rating.tsv.gz", text: header + "1\t1\t4.5\tgood\n")
    #expect(
      datasetErrorDescription { _ = try MovieSentences.load(path: rating) }
        == "\(rating): line 2: mean_rating '4.5' is not a number in [-4, 4]")
    let noHeader = try folder.writeGzip("header.tsv.gz", text: "1\t1\t2.5\tgood\n")
    #expect(
      datasetErrorDescription { _ = try MovieSentences.load(path: noHeader) }
        == "\(noHeader): the header is not id, label, mean_rating, text")
    let good = try folder.writeGzip("good.tsv.gz", text: header + "7\t0\t-1.5\tDull, isn't it?\n")
    let data = try MovieSentences.load(path: good)
    #expect(data.ids == [7] && data.labels == [0] && data.ratings == [-1.5] && data.texts == ["Dull, isn't it?"])
  }

  @Test func wordLanguageRowsThatAreMalformedThrow() throws {
    let language = try folder.writeGzip("language.tsv.gz", text: "lang\tword\nen\thouse\nfr\tmaison\n")
    #expect(
      datasetErrorDescription { _ = try WordLanguages.load(path: language) }
        == "\(language): line 3: language 'fr' is not one of en, es, nl, pt")
    let fields = try folder.writeGzip("fields.tsv.gz", text: "lang\tword\nen\thouse\textra\n")
    #expect(
      datasetErrorDescription { _ = try WordLanguages.load(path: fields) } == "\(fields): line 2: 3 fields, expected 2")
    let truncated = gzip(Array("lang\tword\nen\thouse\n".utf8)).dropLast(3)
    let short = try folder.write("short.tsv.gz", Array(truncated))
    #expect(datasetErrorDescription { _ = try WordLanguages.load(path: short) }?.contains("truncated") == true)
  }
}
