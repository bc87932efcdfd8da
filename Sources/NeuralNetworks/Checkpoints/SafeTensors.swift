/// The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
/// mapping each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (offsets into the data
/// that follows, in bytes), then the raw little-endian data. PyTorch loads it with
/// `safetensors.torch.load_file`, and its names match `state_dict()` keys.
public enum SafeTensors {
  /// Serializes named Float32 tensors as safetensors bytes. `metadata` goes into the header's
  /// "__metadata__" object (string to string). Tensors are laid out sorted by name (byte order),
  /// as the reference implementation does, so the same tensors give the same bytes as Python's
  /// `safetensors.numpy.save_file`.
  public static func encode(_ unsorted: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) -> [UInt8] {
    let tensors = unsorted.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    var entries: [String] = []
    if !metadata.isEmpty {
      let pairs = metadata.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map {
        "\(jsonQuoted($0)):\(jsonQuoted(metadata[$0]!))"
      }
      entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
    }
    var offset = 0
    for (name, tensor) in tensors {
      let size = tensor.count * 4
      let shape = tensor.shape.map(String.init).joined(separator: ",")
      entries.append(
        "\(jsonQuoted(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
      offset += size
    }
    var header = Array("{\(entries.joined(separator: ","))}".utf8)
    // Pad with spaces so the data starts 8-byte aligned, as the reference implementation does.
    while (8 + header.count) % 8 != 0 { header.append(0x20) }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count + offset)
    var length = UInt64(header.count).littleEndian
    withUnsafeBytes(of: &length) { bytes.append(contentsOf: $0) }
    bytes.append(contentsOf: header)
    for (_, tensor) in tensors {
      tensor.withScalars { scalars in
        for value in scalars {
          var bits = value.bitPattern.littleEndian
          withUnsafeBytes(of: &bits) { bytes.append(contentsOf: $0) }
        }
      }
    }
    return bytes
  }

  /// Parses safetensors bytes into named tensors (in file order) and the metadata.
  /// `path` only labels the errors. Every offset and size is checked against the data.
  public static func decode(_ bytes: [UInt8], path: String = "<memory>") throws(CheckpointError) -> (
    tensors: [(name: String, tensor: Tensor)], metadata: [String: String]
  ) {
    guard bytes.count >= 8 else {
      throw .truncated(path: path, detail: "\(bytes.count) bytes, fewer than the 8-byte header length")
    }
    var headerLength: UInt64 = 0
    for index in 0..<8 { headerLength |= UInt64(bytes[index]) << (8 * UInt64(index)) }
    guard headerLength <= 100_000_000 else {
      throw .badHeader(path: path, detail: "header length \(headerLength) is implausibly large")
    }
    guard 8 + Int(headerLength) <= bytes.count else {
      throw .truncated(
        path: path, detail: "header of \(headerLength) bytes announced but only \(bytes.count - 8) follow")
    }
    let dataStart = 8 + Int(headerLength)
    let dataSize = bytes.count - dataStart
    let header: JSONValue
    do {
      header = try JSONParser.parse(Array(bytes[8..<dataStart]))
    } catch {
      throw .badHeader(path: path, detail: error.message)
    }
    guard case .object(let members) = header else {
      throw .badHeader(path: path, detail: "the header is not a JSON object")
    }

    var metadata: [String: String] = [:]
    var entries: [(name: String, shape: [Int], begin: Int, end: Int)] = []
    for (name, value) in members {
      if name == "__metadata__" {
        guard case .object(let pairs) = value else {
          throw .badHeader(path: path, detail: "__metadata__ is not an object")
        }
        for (key, item) in pairs {
          guard case .string(let text) = item else {
            throw .badHeader(path: path, detail: "__metadata__ value for '\(key)' is not a string")
          }
          metadata[key] = text
        }
        continue
      }
      guard case .string(let dtype) = value["dtype"] ?? .null else {
        throw .badHeader(path: path, detail: "tensor '\(name)' has no dtype")
      }
      guard dtype == "F32" else { throw .unsupportedType(path: path, tensor: name, dtype: dtype) }
      guard let shape = integers(value["shape"]), shape.allSatisfy({ $0 >= 0 }) else {
        throw .badHeader(path: path, detail: "tensor '\(name)' has no valid shape")
      }
      guard let offsets = integers(value["data_offsets"]), offsets.count == 2, offsets[0] >= 0,
        offsets[0] <= offsets[1]
      else {
        throw .badHeader(path: path, detail: "tensor '\(name)' has no valid data_offsets")
      }
      let expectedSize = shape.reduce(1, *) * 4
      guard offsets[1] - offsets[0] == expectedSize else {
        throw .badHeader(
          path: path,
          detail:
            "tensor '\(name)' of shape \(shape) needs \(expectedSize) bytes but its offsets span \(offsets[1] - offsets[0])"
        )
      }
      guard offsets[1] <= dataSize else {
        throw .truncated(
          path: path, detail: "tensor '\(name)' ends at data byte \(offsets[1]) but the data holds \(dataSize)")
      }
      entries.append((name, shape, offsets[0], offsets[1]))
    }

    // The format forbids overlaps and holes: the buffers must tile the data exactly.
    var covered = 0
    for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
      guard entry.begin == covered else {
        throw .badHeader(
          path: path, detail: "tensor '\(entry.name)' starts at \(entry.begin), expected \(covered) (overlap or gap)")
      }
      covered = entry.end
    }
    guard covered == dataSize else {
      throw .badHeader(path: path, detail: "the tensors cover \(covered) data bytes but the file holds \(dataSize)")
    }

    let tensors = entries.map { entry -> (name: String, tensor: Tensor) in
      let count = (entry.end - entry.begin) / 4
      var scalars = [Float](repeating: 0, count: count)
      for index in 0..<count {
        let base = dataStart + entry.begin + index * 4
        let bits =
          UInt32(bytes[base]) | UInt32(bytes[base + 1]) << 8 | UInt32(bytes[base + 2]) << 16
          | UInt32(bytes[base + 3]) << 24
        scalars[index] = Float(bitPattern: bits)
      }
      return (entry.name, Tensor(shape: entry.shape, scalars: scalars))
    }
    return (tensors, metadata)
  }

  private static func integers(_ value: JSONValue?) -> [Int]? {
    guard case .array(let items) = value ?? .null else { return nil }
    var result: [Int] = []
    for item in items {
      guard case .number(let number) = item, number == number.rounded(), Swift.abs(number) < 1e15 else {
        return nil
      }
      result.append(Int(number))
    }
    return result
  }

  /// Reads a safetensors file.
  public static func read(from path: String) throws(CheckpointError) -> (
    tensors: [(name: String, tensor: Tensor)], metadata: [String: String]
  ) {
    let bytes: [UInt8]
    do {
      bytes = try FileAccess.readBytes(path)
    } catch {
      throw .cannotRead(path: path, reason: error.reason)
    }
    return try decode(bytes, path: path)
  }

  /// Writes a safetensors file atomically (temporary file, then rename).
  public static func write(
    _ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:], to path: String
  ) throws(CheckpointError) {
    do {
      try FileAccess.writeAtomically(encode(tensors, metadata: metadata), to: path)
    } catch {
      throw .cannotWrite(path: path, reason: error.reason)
    }
  }
}

extension Module {
  /// Every tensor a checkpoint holds: the parameters, then the buffers, by dotted name.
  public var stateTensors: [(name: String, tensor: Tensor)] {
    namedParameters + namedBuffers.map { ($0.name, $0.buffer.value) }
  }

  /// Saves every parameter and buffer under its dotted name as a safetensors file, atomically.
  public func save(to path: String, metadata: [String: String] = [:]) throws(CheckpointError) {
    let tensors = stateTensors
    var seen = Set<String>()
    for (name, _) in tensors where !seen.insert(name).inserted {
      throw .duplicateTensor(path: path, tensor: name)
    }
    try SafeTensors.write(tensors, metadata: metadata, to: path)
  }

  /// Loads parameters and buffers by name from a safetensors file. The file must hold exactly this
  /// model's names with the same shapes; everything is checked before anything is copied, so on any
  /// error the model is left unchanged.
  public func load(from path: String) throws(CheckpointError) {
    try load(SafeTensors.read(from: path).tensors, from: path)
  }

  /// Loads parameters and buffers from tensors read from `path` (named in errors), with the checks of
  /// `load(from:)`. Names starting with one of `otherPrefixes` belong to something else stored in the
  /// same file (an optimizer's state, `optimizer.`) and are left out of the checks.
  public func load(
    _ tensors: [(name: String, tensor: Tensor)], from path: String, otherPrefixes: [String] = []
  ) throws(CheckpointError) {
    let stored = tensors.filter { entry in !otherPrefixes.contains { entry.name.hasPrefix($0) } }
    let parameters = namedParameters
    let buffers = namedBuffers
    var byName: [String: Tensor] = [:]
    for (name, tensor) in stored { byName[name] = tensor }
    let ownNames = Set(parameters.map(\.name) + buffers.map(\.name))
    for (name, _) in stored where !ownNames.contains(name) {
      throw .unexpectedTensor(path: path, tensor: name)
    }
    let expected = parameters.map { ($0.name, $0.tensor.shape) } + buffers.map { ($0.name, $0.buffer.shape) }
    for (name, shape) in expected {
      guard let tensor = byName[name] else { throw .missingTensor(path: path, tensor: name) }
      if tensor.shape != shape {
        throw .shapeMismatch(path: path, tensor: name, expected: shape, found: tensor.shape)
      }
    }
    for (name, parameter) in parameters { parameter.assign(byName[name]!) }
    // The decoded tensors are fresh, so the buffers share storage with nothing else.
    for (name, buffer) in buffers { buffer.value = byName[name]! }
  }
}
