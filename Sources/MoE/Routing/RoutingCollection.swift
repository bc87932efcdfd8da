import NeuralNetworks

/// A module that routes its inputs and can say how: a mixture, or anything built around one.
/// Called as a plain `Layer` inside a container (`Sequential`, a residual block), it hands its
/// record to the innermost `collectRouting` in progress, so the records of a whole network can be
/// read without the containers knowing about routing.
public protocol RoutingRecordProducer: Layer {
  /// The output and what was decided, without reporting to a collection.
  func forward(_ input: Tensor, context: RoutingContext) -> (output: Tensor, routing: RoutingRecord)
}

/// Runs `body` (e.g. a network's forward pass) and returns its result with the routing record of
/// every `RoutingRecordProducer` called as a layer during it, in call order. A mixture used as an
/// expert of another mixture is not listed on its own: its record is in its parent's `nested`.
/// A mixture inside a non-mixture expert (say a `Sequential` expert) is listed, with the rows of
/// the sub-batch it saw. Collections nest: an inner one keeps its records from the outer one.
public func collectRouting<Result>(_ body: () throws -> Result) rethrows -> (result: Result, records: [RoutingRecord]) {
  let collection = RoutingCollection()
  let result = try RoutingCollection.$current.withValue(collection) { try body() }
  return (result, collection.records)
}

/// The records gathered by one `collectRouting`. Only the thread running the body appends to it.
final class RoutingCollection: @unchecked Sendable {
  @TaskLocal static var current: RoutingCollection?
  private(set) var records: [RoutingRecord] = []

  /// Adds `record` to the collection in progress, if any.
  static func report(_ record: RoutingRecord) { current?.records.append(record) }
}

/// A level of a hierarchical mixture below the top one, with its rows mapped back to the top-level batch.
public struct NestedLevel {
  /// The experts taken from the top level down to this mixture: [2] for expert 2 of the top
  /// mixture, [2, 0] for expert 0 of that one.
  public let path: [Int]
  /// Row i of this level's batch is row `topLevelRows[i]` of the top-level batch.
  public let topLevelRows: [Int]
  public let record: RoutingRecord
}

extension RoutingRecord {
  /// Every nested mixture's record at any depth, depth first in expert order, each with the
  /// top-level rows it processed.
  public var nestedLevels: [NestedLevel] {
    var levels: [NestedLevel] = []
    func visit(_ record: RoutingRecord, path: [Int], rows: [Int]) {
      for (expert, nested) in record.nested.enumerated() {
        guard let nested else { continue }
        let level = NestedLevel(
          path: path + [expert], topLevelRows: nested.tokens.map { rows[$0] }, record: nested.record)
        levels.append(level)
        visit(nested.record, path: level.path, rows: level.topLevelRows)
      }
    }
    visit(self, path: [], rows: Array(0..<tokenCount))
    return levels
  }

  /// For each row of this batch, every path of experts it went through down to a leaf expert, in
  /// increasing expert order at each level: [[0, 2], [1]] means expert 0's expert 2, and expert 1.
  /// A row no expert processed has no path.
  public var leafAssignments: [[[Int]]] {
    var paths = [[[Int]]](repeating: [], count: tokenCount)
    let innerPaths = nested.map { $0?.record.leafAssignments }
    let innerRow: [[Int: Int]] = nested.map { nested in
      guard let tokens = nested?.tokens else { return [:] }
      return Dictionary(uniqueKeysWithValues: tokens.enumerated().map { ($1, $0) })
    }
    for (row, experts) in expertsPerToken.enumerated() {
      for expert in experts {
        if expert < nested.count, let inner = innerPaths[expert], let local = innerRow[expert][row] {
          paths[row] += inner[local].map { [expert] + $0 }
        } else {
          paths[row].append([expert])
        }
      }
    }
    return paths
  }
}
