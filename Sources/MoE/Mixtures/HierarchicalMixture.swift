import NeuralNetworks

extension MixtureOfExperts {
  /// A recursive (hierarchical) mixture of experts: a tree of mixtures with `branching[0]` experts
  /// under the top gate, each of them a mixture of `branching[1]` experts, and so on; the experts of
  /// the last level are leaves. For two levels (Jordan and Jacobs 1994):
  ///
  ///     y(x) = sum_i g_i(x) sum_j g_ij(x) E_ij(x)
  ///
  /// and deeper trees nest the same way, with prod(branching) leaves in all. A node is identified by
  /// its path of expert indices from the top: [] is the top gate, [2] the mixture under expert 2,
  /// [2, 0] the leaf (or mixture) under its expert 0. `gate(path, expertCount, &generator)` makes the
  /// gate of the mixture at `path`; `leaf(path, &generator)` makes the leaf at `path`. They are
  /// called depth first, a node's experts before its gate (the order the experiment runner's
  /// two-level models were always built in), so one seed gives one tree.
  ///
  /// With top-k gates at each of d levels, sparse dispatch sends an input down k^d paths: it reaches
  /// k^d leaves and evaluates 1 + k + ... + k^(d-1) gates (`leafEvaluations`, `gateEvaluations`).
  /// Rethrows what `gate` or `leaf` throw; an empty `branching` or a level of fewer than one expert
  /// stops with one line naming it (as `MixtureOfExperts` does for no experts).
  public static func hierarchy<Failure: Error>(
    branching: [Int], dispatch: Dispatch = .automatic,
    gate: (_ path: [Int], _ expertCount: Int, _ generator: inout SeededGenerator) throws(Failure) -> any Router,
    leaf: (_ path: [Int], _ generator: inout SeededGenerator) throws(Failure) -> any Layer,
    using generator: inout SeededGenerator
  ) throws(Failure) -> MixtureOfExperts {
    if branching.isEmpty { tensorFailure("MixtureOfExperts.hierarchy: branching must not be empty") }
    if let level = branching.firstIndex(where: { $0 < 1 }) {
      tensorFailure("MixtureOfExperts.hierarchy: level \(level) of branching \(branching) has fewer than one expert")
    }
    func node(at path: [Int]) throws(Failure) -> MixtureOfExperts {
      let count = branching[path.count]
      var experts: [any Layer] = []
      for index in 0..<count {
        let child = path + [index]
        experts.append(child.count == branching.count ? try leaf(child, &generator) : try node(at: child))
      }
      return MixtureOfExperts(experts: experts, gate: try gate(path, count, &generator), dispatch: dispatch)
    }
    return try node(at: [])
  }
}

extension RoutingRecord {
  /// The (input, leaf expert) pairs computed in the pass, at every depth: each mixture's expert
  /// evaluations minus the rows it handed to experts that are mixtures themselves. For a flat
  /// mixture it is `expertEvaluations`; with top-k gates at each of d levels and sparse dispatch,
  /// N k^d; with dense dispatch, N times the number of leaves.
  public var leafEvaluations: Int {
    let levels = nestedLevels
    return expertEvaluations + levels.reduce(0) { $0 + $1.record.expertEvaluations }
      - levels.reduce(0) { $0 + $1.record.tokenCount }
  }

  /// The (input, gate) pairs computed in the pass: the top gate on all N inputs plus every nested
  /// mixture's gate on the rows it received. With top-k gates at each of d levels and sparse
  /// dispatch, N (1 + k + ... + k^(d-1)); with dense dispatch, N times the number of gates.
  public var gateEvaluations: Int { tokenCount + nestedLevels.reduce(0) { $0 + $1.record.tokenCount } }
}
