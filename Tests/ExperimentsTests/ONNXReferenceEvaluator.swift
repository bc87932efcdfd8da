import Foundation
import ONNXSchema

/// A plain evaluator of the few ONNX operators the exporter writes, written from the operators'
/// specifications (opset 17) with loops over arrays, so the exported graph's outputs can be checked
/// without onnxruntime and without the library's tensor code. Integers (axes, k, indices, shapes)
/// are held as Float, exact for the small values these graphs use.
struct ONNXReferenceEvaluator {
  struct Value {
    var shape: [Int]
    var data: [Float]
  }

  struct UnknownOperator: Error, CustomStringConvertible {
    let description: String
  }

  let graph: Onnx_GraphProto

  /// The graph's one output for `input` [batch, features].
  func run(_ input: Value) throws -> Value {
    var values: [String: Value] = [graph.input[0].name: input]
    for tensor in graph.initializer {
      let data = tensor.dataType == 1 ? tensor.floatData : tensor.int64Data.map { Float($0) }
      values[tensor.name] = Value(shape: tensor.dims.map { Int($0) }, data: data)
    }
    for node in graph.node {
      let inputs = node.input.map { values[$0]! }
      let outputs = try evaluate(node, inputs)
      for (name, value) in zip(node.output, outputs) { values[name] = value }
    }
    return values[graph.output[0].name]!
  }

  func integer(_ node: Onnx_NodeProto, _ name: String, default value: Int) -> Int {
    node.attribute.first { $0.name == name }.map { Int($0.i) } ?? value
  }

  func evaluate(_ node: Onnx_NodeProto, _ inputs: [Value]) throws -> [Value] {
    switch node.opType {
    case "Identity":
      return [inputs[0]]
    case "Gemm":  // A [N, K] times B^T (B [M, K], transB = 1) plus C [M]
      let (a, b, c) = (inputs[0], inputs[1], inputs[2])
      precondition(integer(node, "transB", default: 0) == 1)
      let (rows, inner, columns) = (a.shape[0], a.shape[1], b.shape[0])
      var out = [Float](repeating: 0, count: rows * columns)
      for i in 0..<rows {
        for j in 0..<columns {
          var sum: Float = 0
          for k in 0..<inner { sum += a.data[i * inner + k] * b.data[j * inner + k] }
          out[i * columns + j] = sum + c.data[j]
        }
      }
      return [Value(shape: [rows, columns], data: out)]
    case "Relu":
      return [Value(shape: inputs[0].shape, data: inputs[0].data.map { max($0, 0) })]
    case "Softmax":  // along the last axis of a matrix
      precondition(integer(node, "axis", default: -1) == 1 && inputs[0].shape.count == 2)
      let width = inputs[0].shape[1]
      var out = inputs[0].data
      for row in 0..<inputs[0].shape[0] {
        let slice = out[(row * width)..<((row + 1) * width)]
        let largest = slice.max()!
        let exponentials = slice.map { expf($0 - largest) }
        let total = exponentials.reduce(0, +)
        for column in 0..<width { out[row * width + column] = exponentials[column] / total }
      }
      return [Value(shape: inputs[0].shape, data: out)]
    case "TopK":  // the k largest of each row, largest first, and their column indices
      let (x, k) = (inputs[0], Int(inputs[1].data[0]))
      let width = x.shape[1]
      var values: [Float] = []
      var indices: [Float] = []
      for row in 0..<x.shape[0] {
        let order = (0..<width).sorted { x.data[row * width + $0] > x.data[row * width + $1] }
        for column in order.prefix(k) {
          values.append(x.data[row * width + column])
          indices.append(Float(column))
        }
      }
      return [Value(shape: [x.shape[0], k], data: values), Value(shape: [x.shape[0], k], data: indices)]
    case "Shape":
      return [Value(shape: [inputs[0].shape.count], data: inputs[0].shape.map { Float($0) })]
    case "ConstantOfShape":
      let shape = inputs[0].data.map { Int($0) }
      let fill = node.attribute.first { $0.name == "value" }?.t.floatData.first ?? 0
      return [Value(shape: shape, data: [Float](repeating: fill, count: shape.reduce(1, *)))]
    case "ScatterElements":  // out[i][indices[i][j]] = updates[i][j] along axis 1
      precondition(integer(node, "axis", default: 0) == 1)
      var out = inputs[0]
      let (indices, updates) = (inputs[1], inputs[2])
      let (width, count) = (out.shape[1], indices.shape[1])
      for row in 0..<indices.shape[0] {
        for j in 0..<count {
          out.data[row * width + Int(indices.data[row * count + j])] = updates.data[row * count + j]
        }
      }
      return [out]
    case "Unsqueeze":
      var shape = inputs[0].shape
      for axis in inputs[1].data.map({ Int($0) }).sorted() { shape.insert(1, at: axis) }
      return [Value(shape: shape, data: inputs[0].data)]
    case "Concat":  // [N, 1, O] pieces along axis 1 into [N, E, O]
      precondition(integer(node, "axis", default: 0) == 1 && inputs.allSatisfy { $0.shape.count == 3 })
      let (rows, width) = (inputs[0].shape[0], inputs[0].shape[2])
      var out: [Float] = []
      for row in 0..<rows {
        for piece in inputs { out += piece.data[(row * piece.shape[1] * width)..<((row + 1) * piece.shape[1] * width)] }
      }
      return [Value(shape: [rows, inputs.map { $0.shape[1] }.reduce(0, +), width], data: out)]
    case "Mul":  // [N, E, O] times [N, E, 1], broadcast along the last axis
      let (a, b) = (inputs[0], inputs[1])
      precondition(a.shape.count == 3 && b.shape == [a.shape[0], a.shape[1], 1])
      let width = a.shape[2]
      return [Value(shape: a.shape, data: a.data.indices.map { a.data[$0] * b.data[$0 / width] })]
    case "ReduceSum":  // [N, E, O] summed over axis 1 into [N, O]
      precondition(inputs[1].data == [1] && integer(node, "keepdims", default: 1) == 0)
      let x = inputs[0]
      let (rows, experts, width) = (x.shape[0], x.shape[1], x.shape[2])
      var out = [Float](repeating: 0, count: rows * width)
      for row in 0..<rows {
        for expert in 0..<experts {
          for column in 0..<width {
            out[row * width + column] += x.data[(row * experts + expert) * width + column]
          }
        }
      }
      return [Value(shape: [rows, width], data: out)]
    default:
      throw UnknownOperator(description: "the reference evaluator has no \(node.opType)")
    }
  }
}
