import Foundation
import Testing

@testable import Experiments

/// The TensorBoard event file: TFRecord framing with CRC-32C checksums, and hand-encoded Event
/// protocol buffers, read back by the Swift reader (TensorBoard's own reader is checked when a Python
/// with tensorboard is available).
@Suite struct EventFileTests {
  @Test func crc32cMatchesItsPublishedCheckValues() {
    // RFC 3720, B.4: 32 bytes of zeros, of 0xFF, and ascending 0...31.
    #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    #expect(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)) == 0x62A8_AB43)
    #expect(CRC32C.checksum((0..<32).map { UInt8($0) }) == 0x46DD_794E)
    #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
  }

  @Test func eventsRoundTripThroughTheReader() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let writer = try EventFileWriter(folder: folder, wallTime: 1_800_000_000.5)
    try writer.add(
      scalars: [("loss/training", 2.5), ("utilization/expert_0", 0.125)], step: 0, wallTime: 1_800_000_001)
    try writer.add(scalars: [("loss/training", 1.25)], step: 7, wallTime: 1_800_000_002)
    try writer.flush()
    let read = try EventFileReader.scalars(in: writer.path)
    #expect(read.fileVersion == "brain.Event:2")
    #expect(
      read.scalars == [
        .init(step: 0, tag: "loss/training", value: 2.5), .init(step: 0, tag: "utilization/expert_0", value: 0.125),
        .init(step: 7, tag: "loss/training", value: 1.25),
      ])
    #expect(writer.path.hasPrefix(folder + "/events.out.tfevents.1800000000."))
  }

  @Test func aDamagedRecordIsReportedWithItsOffset() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let writer = try EventFileWriter(folder: folder, wallTime: 1)
    try writer.add(scalars: [("a", 1)], step: 1, wallTime: 2)
    try writer.flush()
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: writer.path)))
    bytes[bytes.count - 6] ^= 0xFF  // inside the second record's data
    try Data(bytes).write(to: URL(fileURLWithPath: writer.path))
    #expect(throws: ExperimentError.self) { _ = try EventFileReader.scalars(in: writer.path) }
  }

  /// TensorBoard's own reader, when a Python with tensorboard is here (it is not a dependency): the
  /// repository's venv-torch (see `make torch-venv`), or the machine's python3.
  @Test func tensorBoardReadsTheFileWhenAvailable() throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    let candidates = [repository.appendingPathComponent("venv-torch/bin/python").path, "/usr/bin/python3"]
    let python = candidates.first { candidate in
      guard FileManager.default.isExecutableFile(atPath: candidate) else { return false }
      let check = Process()
      check.executableURL = URL(fileURLWithPath: candidate)
      check.arguments = ["-c", "import tensorboard"]
      check.standardError = FileHandle.nullDevice
      guard (try? check.run()) != nil else { return false }
      check.waitUntilExit()
      return check.terminationStatus == 0
    }
    guard let python else {
      print("skipped: no Python with the tensorboard package (venv-torch/bin/pip install tensorboard runs this check)")
      return
    }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("events-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let writer = try EventFileWriter(folder: folder, wallTime: 1_800_000_000)
    try writer.add(scalars: [("loss/training", 0.75)], step: 3, wallTime: 1_800_000_001)
    try writer.flush()
    let script = """
      from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
      a = EventAccumulator('\(folder)'); a.Reload()
      print([(e.step, e.value) for e in a.Scalars('loss/training')])
      """
    let read = Process()
    read.executableURL = URL(fileURLWithPath: python)
    read.arguments = ["-c", script]
    let pipe = Pipe()
    read.standardOutput = pipe
    try read.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    read.waitUntilExit()
    #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "[(3, 0.75)]")
  }
}
