import NeuralNetworks
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct CheckpointTests {
  @Test func roundTripGivesBitIdenticalOutputs() throws {
    let path = temporaryPath("model.safetensors")
    defer { unlink(path) }
    let original = makeMultilayerPerceptron(seed: 1)
    let copy = makeMultilayerPerceptron(seed: 2)
    let x = Tensor.ones([3, 3])
    #expect(original(x).scalars != copy(x).scalars)
    try original.save(to: path, metadata: ["format": "pt"])
    try copy.load(from: path)
    #expect(original(x).scalars.map(\.bitPattern) == copy(x).scalars.map(\.bitPattern))
    #expect(try SafeTensors.read(from: path).metadata == ["format": "pt"])
  }

  @Test func fileLayoutFollowsTheSpecification() {
    let bytes = SafeTensors.encode([("b", Tensor(rows: [[3]])), ("a", Tensor([1, 2]))])
    var length = 0
    for index in 0..<8 { length |= Int(bytes[index]) << (8 * index) }
    let header = String(decoding: bytes[8..<(8 + length)], as: UTF8.self)
    // Sorted by name, offsets tile the data, padded with spaces to 8-byte alignment.
    #expect(
      header.hasPrefix(
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1,1],"data_offsets":[8,12]}}"#
      ))
    #expect((8 + length) % 8 == 0)
    #expect(bytes.count == 8 + length + 12)
    // 1.0f little-endian
    #expect(Array(bytes[(8 + length)..<(8 + length + 4)]) == [0x00, 0x00, 0x80, 0x3F])
  }

  /// A file written by the reference implementation (Python `safetensors` 0.8.0,
  /// `safetensors.numpy.save_file` with metadata {"format": "pt"}) of these exact tensors.
  static let referenceFile =
    String(#filePath.dropLast("CheckpointTests.swift".count)) + "Fixtures/reference-mlp.safetensors"

  @Test func loadsAFileWrittenByTheReferenceImplementation() throws {
    let model = makeMultilayerPerceptron()
    try model.load(from: Self.referenceFile)
    let parameters = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.name, $0.tensor.scalars) })
    #expect(parameters["layers.0.weight"] == (0..<12).map { Float($0) / 8 - 0.5 })
    #expect(parameters["layers.0.bias"] == [1.5, -2.25, 0, 3])
    #expect(parameters["layers.2.weight"] == (0..<8).map { (Float($0) - 3.5) / 4 })
    #expect(parameters["layers.2.bias"] == [-0.125, 0.75])
    #expect(try SafeTensors.read(from: Self.referenceFile).metadata == ["format": "pt"])
  }

  /// The state_dict of a plain `nn.Sequential(Linear(3, 4), ReLU(), Linear(4, 2))`, saved by PyTorch
  /// 2.13 with `safetensors.torch.save_file` (Scripts/fixtures/pytorch_sequential.py), with an input and
  /// PyTorch's output for it.
  static let pytorchSequential =
    String(#filePath.dropLast("CheckpointTests.swift".count)) + "Fixtures/pytorch-sequential.safetensors"
  static let pytorchSequentialInputOutput =
    String(#filePath.dropLast("CheckpointTests.swift".count)) + "Fixtures/pytorch-sequential-io.safetensors"

  @Test func aPlainPyTorchSequentialCheckpointLoadsIntoSequential() throws {
    var generator = SeededGenerator(seed: 4)
    let model = Sequential(Linear(3, 4, using: &generator), ReLU(), Linear(4, 2, using: &generator))
    try model.load(from: Self.pytorchSequential)  // every name and shape must match: strict
    let tensors = Dictionary(
      uniqueKeysWithValues: try SafeTensors.read(from: Self.pytorchSequentialInputOutput).tensors.map {
        ($0.name, $0.tensor)
      })
    let input = try #require(tensors["input"])
    let expected = try #require(tensors["output"])
    #expect(allClose(model(input).scalars, expected.scalars, tolerance: 1e-6))
    // And back: what Sequential saves has PyTorch's names.
    #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias"])
  }

  @Test func writesTheSameBytesAsTheReferenceImplementation() throws {
    let model = makeMultilayerPerceptron()
    try model.load(from: Self.referenceFile)
    let reference = try FileAccess.readBytes(Self.referenceFile)
    #expect(SafeTensors.encode(model.namedParameters, metadata: ["format": "pt"]) == reference)
  }

  /// Writes `bytes` to a fresh file and returns the error loading it into the standard model raises.
  private func loadError(_ bytes: [UInt8]) throws -> (CheckpointError?, unchanged: Bool) {
    let path = temporaryPath("bad.safetensors")
    defer { unlink(path) }
    try SafeTensors.write([], to: path)  // create, then overwrite with raw bytes
    let file = fopen(path, "wb")!
    _ = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
    fclose(file)
    let model = makeMultilayerPerceptron(seed: 1)
    let before = model.parameters.map(\.scalars)
    do {
      try model.load(from: path)
      return (nil, model.parameters.map(\.scalars) == before)
    } catch {
      return (error, model.parameters.map(\.scalars) == before)
    }
  }

  private func validFile(_ model: some Module) -> [UInt8] { SafeTensors.encode(model.namedParameters) }

  @Test func truncatedFileIsReportedAndModelUnchanged() throws {
    let bytes = validFile(makeMultilayerPerceptron(seed: 2))
    let (error, unchanged) = try loadError(Array(bytes.dropLast(5)))
    guard case .truncated = error else {
      Issue.record("expected truncated, got \(String(describing: error))")
      return
    }
    #expect(unchanged)
    #expect("\(error!)".contains("is truncated"))
    let (shortError, _) = try loadError([1, 2, 3])
    guard case .truncated = shortError else {
      Issue.record("expected truncated, got \(String(describing: shortError))")
      return
    }
  }

  @Test func badHeaderIsReported() throws {
    var bytes: [UInt8] = [10, 0, 0, 0, 0, 0, 0, 0]
    bytes += Array("{\"a\": [1,".utf8) + [0x20]
    let (error, unchanged) = try loadError(bytes)
    guard case .badHeader = error else {
      Issue.record("expected badHeader, got \(String(describing: error))")
      return
    }
    #expect(unchanged)
  }

  @Test func missingTensorIsNamed() throws {
    let model = makeMultilayerPerceptron(seed: 2)
    let (error, unchanged) = try loadError(SafeTensors.encode(Array(model.namedParameters.dropLast())))
    #expect(error == .missingTensor(path: error.flatMap(path(of:)) ?? "", tensor: "layers.2.bias"))
    #expect(unchanged)
  }

  @Test func extraTensorIsNamed() throws {
    let model = makeMultilayerPerceptron(seed: 2)
    let (error, unchanged) = try loadError(
      SafeTensors.encode(model.namedParameters + [("gate.weight", Tensor([1]))]))
    #expect(error == .unexpectedTensor(path: error.flatMap(path(of:)) ?? "", tensor: "gate.weight"))
    #expect(unchanged)
  }

  /// Tensors of something else kept in the same file (an optimizer's state) are left out when their
  /// prefix is named, and only then.
  @Test func otherPrefixesAreLeftOutOfTheChecks() throws {
    let source = makeMultilayerPerceptron(seed: 2)
    let tensors = source.namedParameters + [("optimizer.step_count", Tensor([3]))]
    let model = makeMultilayerPerceptron(seed: 1)
    #expect(throws: CheckpointError.unexpectedTensor(path: "file", tensor: "optimizer.step_count")) {
      try model.load(tensors, from: "file")
    }
    try model.load(tensors, from: "file", otherPrefixes: ["optimizer."])
    #expect(model.parameters.map(\.scalars) == source.parameters.map(\.scalars))
  }

  @Test func wrongShapeIsNamedWithBothShapes() throws {
    var parameters = makeMultilayerPerceptron(seed: 2).namedParameters
    parameters[0].tensor = Tensor.zeros([3, 4])
    let (error, unchanged) = try loadError(SafeTensors.encode(parameters))
    #expect(
      error
        == .shapeMismatch(
          path: error.flatMap(path(of:)) ?? "", tensor: "layers.0.weight", expected: [4, 3], found: [3, 4]))
    #expect("\(error!)".contains("'layers.0.weight' has shape [3, 4] but the model expects [4, 3]"))
    #expect(unchanged)
  }

  @Test func unsupportedTypeAndBadOffsetsAreRejected() {
    func file(_ header: String, data: Int) -> [UInt8] {
      var headerBytes = Array(header.utf8)
      while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
      var bytes = (0..<8).map { UInt8((headerBytes.count >> (8 * $0)) & 0xFF) }
      bytes += headerBytes + [UInt8](repeating: 0, count: data)
      return bytes
    }
    #expect(throws: CheckpointError.self) {
      try SafeTensors.decode(file(#"{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}"#, data: 4))
    }
    // Offsets disagree with the shape.
    #expect(throws: CheckpointError.self) {
      try SafeTensors.decode(file(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: 4))
    }
    // Overlapping buffers.
    #expect(throws: CheckpointError.self) {
      try SafeTensors.decode(
        file(
          #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#,
          data: 4))
    }
    // A valid file of the same form decodes.
    #expect(throws: Never.self) {
      try SafeTensors.decode(file(#"{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: 4))
    }
  }

  @Test func savingIntoAMissingFolderNamesThePathAndLeavesNoTemporaryFile() {
    let model = makeMultilayerPerceptron()
    let path = "/tmp/no-such-folder-for-moe-tests/model.safetensors"
    do {
      try model.save(to: path)
      Issue.record("saving into a missing folder succeeded")
    } catch {
      #expect("\(error)".contains(path))
      #expect("\(error)".contains("No such file or directory"))
    }
  }

  @Test func savingReplacesAnExistingFileWhole() throws {
    let path = temporaryPath("replace.safetensors")
    defer { unlink(path) }
    try makeMultilayerPerceptron(seed: 1).save(to: path)
    try makeMultilayerPerceptron(seed: 2).save(to: path)
    let loaded = makeMultilayerPerceptron(seed: 3)
    try loaded.load(from: path)
    #expect(loaded.parameters.map(\.scalars) == makeMultilayerPerceptron(seed: 2).parameters.map(\.scalars))
    // No temporary file is left beside it.
    let folder = opendir("/tmp")!
    defer { closedir(folder) }
    let base = String(path.split(separator: "/").last!)
    while let entry = readdir(folder) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      #expect(!(name.hasPrefix(base) && name.contains(".tmp-")), "temporary file \(name) left behind")
    }
  }
}

private func path(of error: CheckpointError) -> String? {
  switch error {
  case .missingTensor(let path, _), .unexpectedTensor(let path, _), .shapeMismatch(let path, _, _, _):
    return path
  default: return nil
  }
}
