import Datasets
import Testing

@Suite struct GzipTests {
  let text = Array(String(repeating: "mixture of experts, ", count: 2000).utf8)

  @Test func roundTripsThroughZlib() throws {
    let folder = try FixtureFolder()
    let path = try folder.writeGzip("text.gz", text)
    #expect(try gunzip(file: path) == text)
  }

  @Test func concatenatedMembersAreDecodedInTurn() throws {
    let folder = try FixtureFolder()
    let path = try folder.write("two.gz", gzip(Array("first ".utf8)) + gzip(Array("second".utf8)))
    #expect(try gunzip(file: path) == Array("first second".utf8))
  }

  @Test func aTruncatedStreamThrows() throws {
    let folder = try FixtureFolder()
    let compressed = gzip(text)
    for cut in [compressed.count - 4, compressed.count / 2, 20] {
      let path = try folder.write("short\(cut).gz", Array(compressed[0..<cut]))
      let message = datasetErrorDescription { _ = try gunzip(file: path) }
      #expect(
        message?.contains(path) == true && message?.contains("truncated") == true, "\(cut): \(message ?? "no error")")
    }
  }

  @Test func aBadChecksumThrows() throws {
    let folder = try FixtureFolder()
    var compressed = gzip(text)
    compressed[compressed.count - 8] ^= 0xff  // first byte of the CRC-32 in the trailer
    let path = try folder.write("crc.gz", compressed)
    let message = datasetErrorDescription { _ = try gunzip(file: path) }
    #expect(
      message?.contains(path) == true && message?.contains("incorrect data check") == true, "\(message ?? "none")")
  }

  @Test func aFileThatIsNotGzipThrows() throws {
    let folder = try FixtureFolder()
    let path = try folder.write("plain.gz", Array("just some plain text, not compressed".utf8))
    #expect(datasetErrorDescription { _ = try gunzip(file: path) }?.contains("not gzip") == true)
  }

  @Test func aMissingFileThrowsWithTheSystemReason() throws {
    let folder = try FixtureFolder()
    let path = folder.path + "/absent.gz"
    let message = datasetErrorDescription { _ = try gunzip(file: path) }
    #expect(message == "\(path): cannot read: No such file or directory")
  }
}
