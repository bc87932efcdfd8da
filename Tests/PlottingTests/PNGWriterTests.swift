import Foundation
import Testing

@testable import Plotting

@Suite struct PNGWriterTests {
  @Test func writesAReadableFileOfTheRightSize() throws {
    let folder = try TemporaryFolder()
    var canvas = Canvas(width: 37, height: 23)
    canvas.fill(Rect(x: 0, y: 0, width: 1, height: 1), color: Color(hex: 0x123456))
    try canvas.writePNG(to: folder.file("small.png"))
    let image = try DecodedPNG(path: folder.file("small.png"))
    #expect(image.width == 37 && image.height == 23)
    #expect(image[0, 0] == Color(hex: 0x123456))
    #expect(image[36, 22] == .white)
    // Only the finished file is left: the temporary one was renamed.
    #expect(folder.contents == ["small.png"])
  }

  @Test func keepsTranslucentPixels() throws {
    var canvas = Canvas(width: 4, height: 4, background: .clear)
    canvas.fill(Rect(x: 0, y: 0, width: 2, height: 4), color: .black)
    let image = try roundTrip(canvas)
    #expect(image[0, 0] == .black)
    #expect(image[3, 0].alpha == 0)
  }

  @Test func carriesNoTimeStampOrText() throws {
    var canvas = Canvas(width: 10, height: 10)
    canvas.drawLine(from: Point(0, 0), to: Point(10, 10), color: .black)
    let types = try chunkTypes(canvas.pngData())
    #expect(types.first == "IHDR")
    #expect(types.last == "IEND")
    #expect(!types.contains("tIME"))
    #expect(!types.contains { ["tEXt", "zTXt", "iTXt"].contains($0) })
  }

  @Test func missingFoldersAreCreated() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("no-such-folder/deeper/figure.png")
    try Canvas(width: 4, height: 4).writePNG(to: path)
    #expect(FileManager.default.fileExists(atPath: path))
  }

  @Test func aFolderThatCannotBeCreatedIsReportedWithThePath() throws {
    let folder = try TemporaryFolder()
    try Canvas(width: 4, height: 4).writePNG(to: folder.file("file.png"))
    // A file stands where the folder should be.
    let path = folder.file("file.png/figure.png")
    do {
      try Canvas(width: 4, height: 4).writePNG(to: path)
      Issue.record("writing under a file should fail")
    } catch let error as PlotError {
      guard case .folderMissing(let reportedPath, let reportedFolder, _) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(reportedPath == path && reportedFolder == folder.file("file.png"))
      #expect(error.description.contains(path) && error.description.contains("is not a folder"))
    }
  }

  @Test func unwritableTargetIsReportedAndLeavesNoTemporaryFile() throws {
    let folder = try TemporaryFolder()
    // A folder where the file should go: the write succeeds, the rename cannot.
    try FileManager.default.createDirectory(
      atPath: folder.file("taken.png"), withIntermediateDirectories: false)
    do {
      try Canvas(width: 4, height: 4).writePNG(to: folder.file("taken.png"))
      Issue.record("writing over a folder should fail")
    } catch let error as PlotError {
      guard case .writeFailed(let path, let reason) = error else {
        Issue.record("unexpected error \(error)")
        return
      }
      #expect(path == folder.file("taken.png"))
      #expect(!reason.isEmpty)
      #expect(error.description.contains(path))
    }
    #expect(folder.contents == ["taken.png"])
    // A path whose temporary file cannot be created at all.
    #expect(throws: PlotError.self) {
      try Canvas(width: 4, height: 4).writePNG(to: "/proc/plotting-test.png")
    }
  }

  @Test func zeroSizeImagesAreRefused() throws {
    let folder = try TemporaryFolder()
    #expect(throws: PlotError.invalidImageSize(width: 0, height: 10)) {
      try Canvas(width: 0, height: 10).writePNG(to: folder.file("empty.png"))
    }
    #expect(throws: PlotError.invalidImageSize(width: 0, height: 0)) {
      try Canvas(width: 0, height: 0).pngData()
    }
    var plot = LinePlot()
    plot.add(series: "a", y: [1, 2] as [Float])
    #expect(throws: PlotError.invalidImageSize(width: 300, height: -2)) {
      try plot.write(to: folder.file("x.png"), width: 300, height: -2)
    }
    #expect(folder.contents.isEmpty)
  }

  @Test func overwritesAnExistingFile() throws {
    let folder = try TemporaryFolder()
    let path = folder.file("figure.png")
    try Canvas(width: 5, height: 5).writePNG(to: path)
    try Canvas(width: 8, height: 3).writePNG(to: path)
    let image = try DecodedPNG(path: path)
    #expect(image.width == 8 && image.height == 3)
  }
}
