import Foundation

/// A TensorBoard event file: TFRecord framing around `tensorflow.Event` protocol buffers.
///
/// Each record is: length (UInt64, little-endian), masked CRC-32C of the length, the bytes, masked
/// CRC-32C of the bytes. The first event carries `file_version: "brain.Event:2"`; each later one a
/// `Summary` of scalar values (`tag`, `simple_value`) at a `step`. The three messages are written by
/// hand (the fields below are from tensorflow/core/util/event.proto and summary.proto), which keeps the
/// runner free of a protobuf build:
///
///     Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
///     Summary { repeated Value value = 1; }
///     Value   { string tag = 1; float simple_value = 2; }
///
/// The file is named `events.out.tfevents.<seconds>.<host>` as TensorBoard expects; wall times come
/// from the caller, so a test can write the same bytes twice.
public final class EventFileWriter {
  public let path: String
  private let handle: FileHandle

  /// Creates `folder/events.out.tfevents.<wallTime>.moe-experiment` and writes the version event.
  public init(folder: String, wallTime: Double) throws {
    path = folder + "/events.out.tfevents.\(Int(wallTime)).moe-experiment"
    guard FileManager.default.createFile(atPath: path, contents: nil) else {
      throw ExperimentError.cannotWrite(path: path, reason: "cannot create the event file")
    }
    handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try write(EventEncoding.event(wallTime: wallTime, step: 0, fileVersion: "brain.Event:2"))
  }

  /// Appends to an event file a run wrote before (resume).
  public init(appendingTo path: String) throws {
    self.path = path
    handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.seekToEnd()
  }

  deinit { try? handle.close() }

  /// One event holding `scalars` (tag -> value) at `step`.
  public func add(scalars: [(tag: String, value: Float)], step: Int, wallTime: Double) throws {
    try write(EventEncoding.event(wallTime: wallTime, step: Int64(step), scalars: scalars))
  }

  /// Forces the written records to disk.
  public func flush() throws { try handle.synchronize() }

  func write(_ event: [UInt8]) throws {
    try handle.write(contentsOf: Data(EventEncoding.record(event)))
  }
}

/// Reads an event file back: checks every record's framing and checksums, and decodes the scalar
/// summaries. The runner's tests use it; TensorBoard's own reader is the other check.
public enum EventFileReader {
  public struct Scalar: Equatable, Sendable {
    public let step: Int
    public let tag: String
    public let value: Float
  }

  public static func scalars(in path: String) throws -> (fileVersion: String?, scalars: [Scalar]) {
    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    var offset = 0
    var version: String?
    var scalars: [Scalar] = []
    while offset < bytes.count {
      guard offset + 12 <= bytes.count else { throw ExperimentError.corruptEventFile(path: path, offset: offset) }
      let lengthBytes = Array(bytes[offset..<(offset + 8)])
      let length = lengthBytes.enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
      guard littleEndian(bytes, offset + 8) == CRC32C.masked(lengthBytes), offset + 16 + length <= bytes.count else {
        throw ExperimentError.corruptEventFile(path: path, offset: offset)
      }
      let data = Array(bytes[(offset + 12)..<(offset + 12 + length)])
      guard littleEndian(bytes, offset + 12 + length) == CRC32C.masked(data) else {
        throw ExperimentError.corruptEventFile(path: path, offset: offset)
      }
      let event = try EventEncoding.decodeEvent(data)
      if let fileVersion = event.fileVersion { version = fileVersion }
      scalars += event.scalars.map { Scalar(step: Int(event.step), tag: $0.tag, value: $0.value) }
      offset += 16 + length
    }
    return (version, scalars)
  }

  static func littleEndian(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
    (0..<4).reduce(0) { $0 | (UInt32(bytes[offset + $1]) << (8 * UInt32($1))) }
  }
}
