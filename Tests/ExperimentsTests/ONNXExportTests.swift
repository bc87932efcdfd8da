import Foundation
import MoE
import NeuralNetworks
import ONNXSchema
import SwiftProtobuf
import Testing

@testable import Experiments

/// `export --format onnx`: the file decodes as an ONNX model of the declared opset whose graph is
/// well formed, holds the library's parameters and, evaluated by a plain reference evaluator of its
/// operators, gives the library's outputs (always checked); with onnxruntime (the repository's
/// venv-torch, `make torch-venv`) it gives them too, to 1e-5.
@Suite struct ONNXExportTests {
  /// A Python that imports onnxruntime and numpy, or nil.
  static let python = ExportTests.python(importing: "onnxruntime, numpy")

  /// A quick run of `template` in a fresh folder, with its ONNX export; the caller removes the folder.
  static func exportedRun(_ template: String) throws -> (runner: ExperimentRunner, folder: RunFolder, model: String) {
    let folder = RunTests.folder("onnx-\(template)")
    let runner = try RunTests.runner(try RunTests.tree(template), folder)
    _ = try runner.run(resuming: false)
    let files = try RunExport.write(runner, to: folder.path + "/export", format: "onnx")
    #expect(files.map { ($0 as NSString).lastPathComponent } == ["model.onnx", "config.yaml", "model.json"])
    return (runner, folder, folder.path + "/export/model.onnx")
  }

  static func decode(_ path: String) throws -> Onnx_ModelProto {
    try Onnx_ModelProto(serializedBytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
  }

  @Test(arguments: ["basic", "sparse", "hierarchical"])
  func theWrittenFileIsAWellFormedGraphThatComputesTheLibrarysOutputs(template: String) throws {
    let (runner, folder, path) = try Self.exportedRun(template)
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let model = try Self.decode(path)
    #expect(model.irVersion == 8)
    #expect(model.opsetImport.map { "\($0.domain):\($0.version)" } == [":17"])
    let graph = model.graph

    // input [batch, 64] and logits [batch, 10], float32, with a dynamic batch.
    func shape(_ info: Onnx_ValueInfoProto) -> [String] {
      info.type.tensorType.shape.dim.map { $0.dimParam.isEmpty ? String($0.dimValue) : $0.dimParam }
    }
    #expect(graph.input.map(\.name) == ["input"] && graph.output.map(\.name) == ["logits"])
    #expect(graph.input.map(shape) == [["batch", "64"]] && graph.output.map(shape) == [["batch", "10"]])
    #expect(graph.input[0].type.tensorType.elemType == 1 && graph.output[0].type.tensorType.elemType == 1)

    // Every parameter the evaluation uses is an initializer of its name, shape and value; the noisy
    // gate's noise weight is not (the noise is off), and the rest are int64 axes and k.
    let floats = Dictionary(
      uniqueKeysWithValues: graph.initializer.filter { $0.dataType == 1 }.map { ($0.name, $0) })
    let used = runner.mixture.namedParameters.filter { !$0.name.hasSuffix("noiseWeight") }
    #expect(Set(floats.keys) == Set(used.map(\.name)))
    for (name, tensor) in used {
      #expect(floats[name]?.dims == tensor.shape.map { Int64($0) }, "\(name)")
      #expect(floats[name]?.floatData == tensor.scalars, "\(name)")
    }
    for constant in graph.initializer where constant.dataType != 1 {
      #expect(constant.dataType == 7 && constant.dims == [1], "\(constant.name)")
    }

    // The graph is in topological order: each node reads the input, initializers or earlier outputs.
    var defined = Set(graph.input.map(\.name) + graph.initializer.map(\.name))
    for node in graph.node {
      for input in node.input { #expect(defined.contains(input), "\(node.name) reads undefined \(input)") }
      defined.formUnion(node.output)
    }
    #expect(defined.contains("logits"))

    let expertCount = template == "hierarchical" ? 8 * 8 : (template == "sparse" ? 16 : 4)
    let gateCount = template == "hierarchical" ? 9 : 1
    let counts = Dictionary(grouping: graph.node, by: \.opType).mapValues(\.count)
    #expect(counts["Gemm"] == 2 * expertCount + gateCount)
    #expect(counts["Relu"] == expertCount)
    #expect(counts["ReduceSum"] == gateCount)
    if template == "sparse" {
      let topK = try #require(graph.node.first { $0.opType == "TopK" })
      let k = try #require(graph.initializer.first { $0.name == topK.input[1] })
      #expect(k.int64Data == [4], "the sparse template routes each input to 4 experts")
      #expect(counts["ScatterElements"] == 1 && counts["Softmax"] == 1)
    } else {
      #expect(counts["TopK"] == nil && counts["Softmax"] == gateCount)
    }
    // Evaluated operator by operator from the specifications (no onnxruntime), the graph gives the
    // library's outputs for 50 test images.
    let inputs = runner.data.test.inputs.slice(axis: 0, 0..<50)
    let expected = withoutGradients { runner.mixture.forward(inputs).output }
    let got = try ONNXReferenceEvaluator(graph: graph).run(.init(shape: inputs.shape, data: inputs.scalars))
    #expect(got.shape == expected.shape)
    let difference = zip(got.data, expected.scalars).map { abs($0 - $1) }.max() ?? .infinity
    print("reference evaluator, \(template): largest difference \(difference)")
    #expect(difference <= 1e-5, "\(template): largest difference \(difference)")

    let known: Set<String> = [
      "Gemm", "Relu", "Softmax", "TopK", "Shape", "ConstantOfShape", "ScatterElements", "Unsqueeze", "Concat",
      "Mul", "ReduceSum", "Identity",
    ]
    #expect(Set(counts.keys).isSubset(of: known), "standard operators only: \(counts.keys.sorted())")
  }

  @Test(arguments: ["basic", "sparse", "hierarchical"])
  func onnxruntimeGivesTheLibrarysOutputs(template: String) throws {
    guard let python = Self.python else {
      print("skipped the onnxruntime comparison (\(template)): no Python with onnxruntime and numpy (make torch-venv)")
      return
    }
    let (runner, folder, path) = try Self.exportedRun(template)
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    // The library's outputs for 50 test images with the best parameters (the export loaded them).
    let inputs = runner.data.test.inputs.slice(axis: 0, 0..<50)
    let outputs = withoutGradients { runner.mixture.forward(inputs).output }
    let inputFile = folder.path + "/input.f32"
    let outputFile = folder.path + "/expected.f32"
    try Data(inputs.scalars.withUnsafeBufferPointer { Data(buffer: $0) }).write(to: URL(fileURLWithPath: inputFile))
    try Data(outputs.scalars.withUnsafeBufferPointer { Data(buffer: $0) }).write(to: URL(fileURLWithPath: outputFile))
    let script = """
      import numpy, onnxruntime
      session = onnxruntime.InferenceSession('\(path)', providers=['CPUExecutionProvider'])
      x = numpy.fromfile('\(inputFile)', dtype='<f4').reshape(50, 64)
      expected = numpy.fromfile('\(outputFile)', dtype='<f4').reshape(50, 10)
      got, = session.run(['logits'], {'input': x})
      print(float(numpy.abs(got - expected).max()))
      """
    let difference = try ExportTests.runPython(python, script)
    print("onnxruntime, \(template): largest difference \(difference)")
    #expect(difference <= 1e-5, "\(template): largest difference \(difference)")
  }

  @Test func aModelTheExportDoesNotCoverIsRefusedBeforeAnythingIsWritten() throws {
    let folder = RunTests.folder("onnx-switch")
    defer { try? FileManager.default.removeItem(atPath: folder.path) }
    let runner = try RunTests.runner(try RunTests.tree("switch"), folder)
    _ = try runner.run(resuming: false)
    let destination = folder.path + "/export"
    let error = try #require(throws: ExperimentError.self) {
      try RunExport.write(runner, to: destination, format: "onnx")
    }
    #expect(
      error.description
        == "export --format onnx: router 'switch' is not covered; the ONNX export covers softmax, topK, noisyTopK"
        + " (and groups of them); use --format safetensors for the PyTorch module")
    #expect(throws: ExperimentError.unsupportedExport(format: "onx", known: ["safetensors", "onnx"])) {
      try RunExport.write(runner, to: destination, format: "onx")
    }
    #expect(
      ExperimentError.unsupportedExport(format: "onx", known: RunExport.formats).description
        == "export: --format: unknown format 'onx'; known: safetensors, onnx")
    #expect(!FileManager.default.fileExists(atPath: destination), "nothing written")
  }
}
