import Foundation
import Yams

/// A configuration document as the runner reads it: nested mappings whose leaves are the scalars as
/// written. Keys keep their order, so the resolved configuration is written back in the order of the
/// template.
///
/// The tree comes from YAML through Yams (`compose`), takes `--set key.path=value` overrides, and is
/// checked key by key by `ExperimentConfiguration(tree:)`: an unknown key is an error, never ignored.
public indirect enum ConfigurationTree: Equatable, Sendable {
  case scalar(String)
  case mapping([(key: String, value: ConfigurationTree)])

  public static func == (a: ConfigurationTree, b: ConfigurationTree) -> Bool {
    switch (a, b) {
    case (.scalar(let x), .scalar(let y)): return x == y
    case (.mapping(let x), .mapping(let y)):
      return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    default: return false
    }
  }

  /// Parses a YAML document (`source` names it in errors). Sequences, anchors and aliases are not
  /// part of the configuration language and are rejected with their key path.
  public static func parse(yaml: String, source: String) throws(ConfigurationError) -> ConfigurationTree {
    let node: Node?
    do {
      node = try Yams.compose(yaml: yaml)
    } catch {
      throw ConfigurationError(
        source, "not valid YAML: \(String(describing: error).split(separator: "\n").first ?? "")")
    }
    guard let node else { throw ConfigurationError(source, "the file is empty") }
    return try tree(of: node, path: "")
  }

  static func tree(of node: Node, path: String) throws(ConfigurationError) -> ConfigurationTree {
    switch node {
    case .scalar(let scalar):
      return .scalar(scalar.string)
    case .mapping(let mapping):
      var entries: [(key: String, value: ConfigurationTree)] = []
      for (keyNode, valueNode) in mapping {
        guard case .scalar(let key) = keyNode else {
          throw ConfigurationError(path.isEmpty ? "(top level)" : path, "keys must be plain words")
        }
        let keyPath = path.isEmpty ? key.string : path + "." + key.string
        if entries.contains(where: { $0.key == key.string }) {
          throw ConfigurationError(keyPath, "given twice")
        }
        entries.append((key.string, try tree(of: valueNode, path: keyPath)))
      }
      return .mapping(entries)
    case .sequence:
      throw ConfigurationError(path.isEmpty ? "(top level)" : path, "expected a value or a mapping, got a list")
    case .alias:
      throw ConfigurationError(path.isEmpty ? "(top level)" : path, "aliases are not supported")
    }
  }

  /// The subtree at `path` (dotted), or nil.
  public func value(at path: String) -> ConfigurationTree? {
    var current = self
    for key in path.split(separator: ".").map(String.init) {
      guard case .mapping(let entries) = current, let next = entries.first(where: { $0.key == key }) else {
        return nil
      }
      current = next.value
    }
    return current
  }

  /// Applies `key.path=value` (as `--set` gives it): the key must already exist in the tree, so a typo
  /// is an error rather than a new, ignored setting.
  public mutating func override(_ assignment: String) throws(ConfigurationError) {
    guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
      throw ConfigurationError(assignment, "--set expects key.path=value, e.g. training.epochs=5")
    }
    let path = String(assignment[..<equals])
    let value = String(assignment[assignment.index(after: equals)...])
    guard case .scalar = self.value(at: path) else {
      if self.value(at: path) != nil { throw ConfigurationError(path, "is a section: set one of its keys") }
      throw ConfigurationError(path, "unknown key; known: \(knownKeys(near: path).joined(separator: ", "))")
    }
    self = replacing(path.split(separator: ".").map(String.init)[...], with: .scalar(value))
  }

  func replacing(_ keys: ArraySlice<String>, with replacement: ConfigurationTree) -> ConfigurationTree {
    guard let first = keys.first, case .mapping(let entries) = self else { return replacement }
    return .mapping(
      entries.map { $0.key == first ? ($0.key, $0.value.replacing(keys.dropFirst(), with: replacement)) : $0 })
  }

  /// The full key paths of the section that holds `path` (the top level when it has none).
  func knownKeys(near path: String) -> [String] {
    let parent = path.split(separator: ".").dropLast().joined(separator: ".")
    let section = parent.isEmpty ? self : (value(at: parent) ?? self)
    guard case .mapping(let entries) = section else { return [] }
    return entries.map { parent.isEmpty ? $0.key : parent + "." + $0.key }
  }

  /// The tree as YAML, two spaces per level, keys in order.
  public func yaml() -> String {
    var lines: [String] = []
    func emit(_ tree: ConfigurationTree, indent: String) {
      guard case .mapping(let entries) = tree else { return }
      for (key, value) in entries {
        switch value {
        case .scalar(let text): lines.append(indent + key + ": " + ConfigurationTree.quoted(text))
        case .mapping:
          lines.append(indent + key + ":")
          emit(value, indent: indent + "  ")
        }
      }
    }
    emit(self, indent: "")
    return lines.joined(separator: "\n") + "\n"
  }

  /// A scalar as YAML writes it back unchanged: plain when YAML reads it as the same string.
  static func quoted(_ text: String) -> String {
    let plain = !text.isEmpty && text.allSatisfy { $0.isLetter || $0.isNumber || "._-+".contains($0) }
    if plain { return text }
    return "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }
}
