/// What went wrong saving or loading a checkpoint; every case names the file or the tensor.
public enum CheckpointError: Error, CustomStringConvertible, Equatable {
  case cannotRead(path: String, reason: String)
  case cannotWrite(path: String, reason: String)
  /// The file ends before the header or the data it announces.
  case truncated(path: String, detail: String)
  /// The header is not valid safetensors JSON.
  case badHeader(path: String, detail: String)
  case unsupportedType(path: String, tensor: String, dtype: String)
  case missingTensor(path: String, tensor: String)
  case unexpectedTensor(path: String, tensor: String)
  /// Two of the model's parameters or buffers have the same name.
  case duplicateTensor(path: String, tensor: String)
  case shapeMismatch(path: String, tensor: String, expected: [Int], found: [Int])

  public var description: String {
    switch self {
    case .cannotRead(let path, let reason): return "cannot read checkpoint \(path): \(reason)"
    case .cannotWrite(let path, let reason): return "cannot write checkpoint \(path): \(reason)"
    case .truncated(let path, let detail): return "checkpoint \(path) is truncated: \(detail)"
    case .badHeader(let path, let detail): return "checkpoint \(path) has a bad header: \(detail)"
    case .unsupportedType(let path, let tensor, let dtype):
      return "checkpoint \(path): tensor '\(tensor)' has dtype \(dtype); only F32 is supported"
    case .missingTensor(let path, let tensor):
      return "checkpoint \(path) has no tensor '\(tensor)', which the model needs"
    case .unexpectedTensor(let path, let tensor):
      return "checkpoint \(path) has a tensor '\(tensor)' that the model does not have"
    case .duplicateTensor(let path, let tensor):
      return "cannot write checkpoint \(path): the model has two tensors named '\(tensor)'"
    case .shapeMismatch(let path, let tensor, let expected, let found):
      return "checkpoint \(path): tensor '\(tensor)' has shape \(found) but the model expects \(expected)"
    }
  }
}
