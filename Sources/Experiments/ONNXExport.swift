import Foundation
import MoE
import NeuralNetworks
import ONNXSchema
import SwiftProtobuf

/// `moe-experiment export RUN --format onnx`: the run's best parameters as an ONNX model for
/// inference, `model.onnx` (opset 17, IR version 8, standard operators only), read by onnxruntime
/// and any other ONNX runtime:
///
///     input   [batch, features] float32 (batch is dynamic)
///     logits  [batch, classes]  float32, the library's `forward` in evaluation mode
///
/// A mixture y = sum_e g_e(x) E_e(x) becomes, with E_e(x) = Gemm(Relu(Gemm(x, W1, b1)), W2, b2):
///
///     softmax gate:  g = Softmax(Gemm(x, W, b) / T)                  (Jacobs et al. 1991)
///     top-k gates:   v, i = TopK(Gemm(x, W, b), k); g = ScatterElements(zeros, i, Softmax(v))
///                    (Shazeer et al. 2017; noisy top-k without its noise, as in evaluation)
///     y = ReduceSum(Unsqueeze(g, 2) * Concat(Unsqueeze(E_e(x), 1)), axis 1)
///
/// and groups (`model.groups` > 0) nest the same under a softmax gate, y = sum_i g_i(x) y_i(x).
/// Every expert is evaluated for every input and the unchosen ones get weight 0: the same outputs
/// as the library's sparse dispatch, at the cost of computing all experts, which is fine for an
/// export meant for inference on small models. Initializers keep the library's parameter names
/// (`experts.0.hidden.weight`, `gate.bias`, ...). The capacity routers (switch, gshard,
/// expertChoice) and the threshold and task gates are not covered: their choices depend on the
/// batch or on inputs other than the features.
public enum ONNXExport {
  public static let opsetVersion: Int64 = 17
  public static let irVersion: Int64 = 8
  public static let inputName = "input"
  public static let outputName = "logits"
  /// The routers whose mixtures the exporter covers.
  public static let routers = ["softmax", "topK", "noisyTopK"]

  /// The ONNX model of `mixture` (its current parameters) over `inputSize` features; throws
  /// `notExportable` naming the router or expert it does not cover.
  public static func model(of mixture: MixtureOfExperts, inputSize: Int, name: String) throws(ExperimentError)
    -> Onnx_ModelProto
  {
    var builder = GraphBuilder(parameters: Dictionary(uniqueKeysWithValues: mixture.namedParameters))
    let output = try builder.mixture(mixture, input: inputName, prefix: "")
    builder.node("Identity", [output], [outputName], name: "logits")

    var graph = Onnx_GraphProto()
    graph.name = name
    graph.node = builder.nodes
    graph.initializer = builder.initializers
    graph.input = [valueInfo(inputName, features: inputSize)]
    graph.output = [valueInfo(outputName, features: mixture.outputWidth(inputSize: inputSize))]
    var model = Onnx_ModelProto()
    model.irVersion = irVersion
    var opset = Onnx_OperatorSetIdProto()
    opset.domain = ""
    opset.version = opsetVersion
    model.opsetImport = [opset]
    model.producerName = "moe-experiment"
    model.producerVersion = "1"
    model.docString = "A mixture of experts from the course's experiment runner: logits = model(input)."
    model.graph = graph
    return model
  }

  /// A float32 value of shape [batch, features] with a dynamic batch.
  static func valueInfo(_ name: String, features: Int) -> Onnx_ValueInfoProto {
    var batch = Onnx_TensorShapeProto.Dimension()
    batch.dimParam = "batch"
    var width = Onnx_TensorShapeProto.Dimension()
    width.dimValue = Int64(features)
    var tensorType = Onnx_TypeProto.Tensor()
    tensorType.elemType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    tensorType.shape.dim = [batch, width]
    var info = Onnx_ValueInfoProto()
    info.name = name
    info.type.tensorType = tensorType
    return info
  }
}

extension MixtureOfExperts {
  /// The width of the mixture's output: its first expert's.
  func outputWidth(inputSize: Int) -> Int {
    if let expert = experts.first as? FeedForwardExpert { return expert.outputSize }
    if let group = experts.first as? MixtureOfExperts { return group.outputWidth(inputSize: inputSize) }
    return 0
  }
}

/// Collects the nodes and initializers of the graph, naming every value after the parameters it
/// comes from, so the graph reads like the library's module tree.
struct GraphBuilder {
  let parameters: [String: Tensor]
  var nodes: [Onnx_NodeProto] = []
  var initializers: [Onnx_TensorProto] = []
  private var constants: Set<String> = []

  init(parameters: [String: Tensor]) { self.parameters = parameters }

  mutating func node(
    _ opType: String, _ inputs: [String], _ outputs: [String], name: String, attributes: [Onnx_AttributeProto] = []
  ) {
    var node = Onnx_NodeProto()
    node.opType = opType
    node.name = name
    node.input = inputs
    node.output = outputs
    node.attribute = attributes
    nodes.append(node)
  }

  /// The initializer of the library's parameter `name` (its value and shape as they are).
  mutating func parameter(_ name: String) throws(ExperimentError) -> String {
    guard let tensor = parameters[name] else {
      throw .notExportable(format: "onnx", reason: "the model has no parameter '\(name)'")
    }
    var proto = Onnx_TensorProto()
    proto.name = name
    proto.dims = tensor.shape.map { Int64($0) }
    proto.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    proto.floatData = tensor.scalars
    initializers.append(proto)
    return name
  }

  /// A shared int64 constant (axes, k), added once.
  mutating func integers(_ values: [Int64], name: String) -> String {
    if constants.insert(name).inserted {
      var proto = Onnx_TensorProto()
      proto.name = name
      proto.dims = [Int64(values.count)]
      proto.dataType = Int32(Onnx_TensorProto.DataType.int64.rawValue)
      proto.int64Data = values
      initializers.append(proto)
    }
    return name
  }

  static func attribute(_ name: String, int value: Int64) -> Onnx_AttributeProto {
    var attribute = Onnx_AttributeProto()
    attribute.name = name
    attribute.type = .int
    attribute.i = value
    return attribute
  }

  /// x W^T + b for the library's Linear layout (W [outputs, inputs]).
  mutating func affine(_ input: String, weight: String, bias: String, output: String) throws(ExperimentError)
    -> String
  {
    node(
      "Gemm", [input, try parameter(weight), try parameter(bias)], [output], name: output,
      attributes: [Self.attribute("transB", int: 1)])
    return output
  }

  mutating func expert(_ expert: any Layer, input: String, prefix: String) throws(ExperimentError) -> String {
    if let group = expert as? MixtureOfExperts { return try mixture(group, input: input, prefix: prefix) }
    guard let feedForward = expert as? FeedForwardExpert, feedForward.activation is ReLU else {
      throw .notExportable(
        format: "onnx",
        reason: "expert '\(prefix.dropLast())' is a \(type(of: expert)); covered: FeedForwardExpert with ReLU")
    }
    let hidden = try affine(
      input, weight: prefix + "hidden.weight", bias: prefix + "hidden.bias", output: prefix + "hidden")
    node("Relu", [hidden], [prefix + "activation"], name: prefix + "activation")
    return try affine(
      prefix + "activation", weight: prefix + "output.weight", bias: prefix + "output.bias", output: prefix + "output")
  }

  /// The gate's weights [batch, experts], zero for the experts a top-k gate did not choose.
  mutating func gate(_ gate: any Router, input: String, prefix: String) throws(ExperimentError) -> String {
    let logits = try affine(
      input, weight: prefix + "gate.weight", bias: prefix + "gate.bias", output: prefix + "gate.logits")
    let weights = prefix + "gate.weights"
    if let softmax = gate as? SoftmaxGate {
      var scaled = logits
      if softmax.temperature != 1 {
        var temperature = Onnx_TensorProto()
        temperature.name = prefix + "gate.temperature"
        temperature.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
        temperature.floatData = [softmax.temperature]
        initializers.append(temperature)
        scaled = prefix + "gate.scaled_logits"
        node("Div", [logits, temperature.name], [scaled], name: scaled)
      }
      node("Softmax", [scaled], [weights], name: weights, attributes: [Self.attribute("axis", int: 1)])
      return weights
    }
    let k: Int
    if let topK = gate as? TopKGate {
      k = topK.k
    } else if let noisy = gate as? NoisyTopKGate {
      k = noisy.k
    } else {
      throw .notExportable(
        format: "onnx",
        reason:
          "router \(type(of: gate)) at '\(prefix)gate' is not covered; covered: \(ONNXExport.routers.joined(separator: ", "))"
          + " (the capacity routers switch, gshard and expertChoice depend on the batch)")
    }
    let chosen = [prefix + "gate.top_values", prefix + "gate.top_experts"]
    node(
      "TopK", [logits, integers([Int64(k)], name: prefix + "gate.k")], chosen, name: prefix + "gate.top_k",
      attributes: [Self.attribute("axis", int: 1), Self.attribute("largest", int: 1), Self.attribute("sorted", int: 1)])
    let topWeights = prefix + "gate.top_weights"
    node("Softmax", [chosen[0]], [topWeights], name: topWeights, attributes: [Self.attribute("axis", int: 1)])
    node("Shape", [logits], [prefix + "gate.shape"], name: prefix + "gate.shape")
    var zero = Onnx_TensorProto()
    zero.dataType = Int32(Onnx_TensorProto.DataType.float.rawValue)
    zero.dims = [1]
    zero.floatData = [0]
    var value = Onnx_AttributeProto()
    value.name = "value"
    value.type = .tensor
    value.t = zero
    node(
      "ConstantOfShape", [prefix + "gate.shape"], [prefix + "gate.zeros"], name: prefix + "gate.zeros",
      attributes: [value])
    node(
      "ScatterElements", [prefix + "gate.zeros", chosen[1], topWeights], [weights], name: weights,
      attributes: [Self.attribute("axis", int: 1)])
    return weights
  }

  /// y = sum_e g_e(x) E_e(x) as [batch, outputs].
  mutating func mixture(_ mixture: MixtureOfExperts, input: String, prefix: String) throws(ExperimentError)
    -> String
  {
    if mixture.gateInput != nil {
      throw .notExportable(format: "onnx", reason: "the mixture at '\(prefix)' gates on a transformed input")
    }
    let weights = try gate(mixture.gate, input: input, prefix: prefix)
    var stacked: [String] = []
    for (index, expert) in mixture.experts.enumerated() {
      let expertPrefix = prefix + "experts.\(index)."
      let output = try self.expert(expert, input: input, prefix: expertPrefix)
      node(
        "Unsqueeze", [output, integers([1], name: "axes.1")], [expertPrefix + "stacked"],
        name: expertPrefix + "stacked")
      stacked.append(expertPrefix + "stacked")
    }
    let outputs = prefix + "experts.outputs"
    node("Concat", stacked, [outputs], name: outputs, attributes: [Self.attribute("axis", int: 1)])
    let columns = prefix + "gate.weight_columns"
    node("Unsqueeze", [weights, integers([2], name: "axes.2")], [columns], name: columns)
    let weighted = prefix + "experts.weighted"
    node("Mul", [outputs, columns], [weighted], name: weighted)
    let sum = prefix + "mixture.output"
    node(
      "ReduceSum", [weighted, integers([1], name: "axes.1")], [sum], name: sum,
      attributes: [Self.attribute("keepdims", int: 0)])
    return sum
  }
}
