import MoE

/// The runner's starting points: each a complete configuration, shown by `moe-experiment show NAME`
/// and run by `moe-experiment run --template NAME`. All train on the bundled digits (8x8, 10
/// classes), sized so that a full run takes well under a minute on one core.
///
/// `switch` weights the load-balancing loss 1.0, not the paper's 0.01: with 16 experts and batches of
/// 64 digits, 0.01 let the routing collapse so far that half the test inputs overflowed their expert's
/// capacity and got no expert (test accuracy 0.517; at 1.0, 2% are dropped and the accuracy is 0.896).
public enum ExperimentTemplates {
  public struct Template: Sendable {
    public let name: String
    public let summary: String
    public let yaml: String
  }

  public static let all: [Template] = [
    Template(
      name: "basic", summary: "4 dense experts under a softmax gate (Jacobs et al. 1991)",
      yaml: document(experts: 4, hidden: 32, router: "softmax", k: 1, epochs: 30)),
    Template(
      name: "sparse", summary: "16 experts, noisy top-4 with importance and load losses (Shazeer et al. 2017)",
      yaml: document(
        experts: 16, hidden: 16, router: "noisyTopK", k: 4, epochs: 30, importance: "0.1", load: "0.1")),
    Template(
      name: "hierarchical", summary: "8 groups of 8 experts, a softmax gate over groups and one in each",
      yaml: document(experts: 8, hidden: 8, router: "softmax", k: 1, groups: 8, epochs: 20)),
    Template(
      name: "large_scale", summary: "64 experts, top-2, sparse dispatch, load balancing (Fedus et al. 2021)",
      yaml: document(experts: 64, hidden: 16, router: "topK", k: 2, epochs: 20, loadBalancing: "0.01")),
    Template(
      name: "switch",
      summary: "16 experts, top-1 with capacity 1.25, overflow dropped, strong balancing (Fedus et al. 2021)",
      yaml: document(
        experts: 16, hidden: 16, router: "switch", k: 1, epochs: 30, loadBalancing: "1.0", zLoss: "0.001")),
    Template(
      name: "expert_choice", summary: "16 experts, each takes its top tokens at capacity 2 (Zhou et al. 2022)",
      yaml: document(experts: 16, hidden: 16, router: "expertChoice", k: 1, capacityFactor: "2.0", epochs: 30)),
  ]

  public static var names: [String] { all.map(\.name) }

  public static func named(_ name: String) throws(ConfigurationError) -> Template {
    guard let template = all.first(where: { $0.name == name }) else {
      throw ConfigurationError("--template", "unknown template '\(name)'; known: \(names.joined(separator: ", "))")
    }
    return template
  }

  static func document(
    experts: Int, hidden: Int, router: String, k: Int, capacityFactor: String = "1.25", groups: Int = 0,
    epochs: Int, loadBalancing: String = "0.0", importance: String = "0.0", load: String = "0.0",
    zLoss: String = "0.0"
  ) -> String {
    // "  key: value" padded so that every comment starts in one column, whatever the value's width.
    func field(_ key: String, _ value: Any, _ comment: String) -> String {
      let text = "  \(key): \(value)"
      return text.padding(toLength: max(text.count + 1, 29), withPad: " ", startingAt: 0) + "# " + comment
    }
    let routers = RouterRegistry.names.filter { $0 != "task" }.joined(separator: ", ")
    return """
      data:
      \(field("dataset", "digits", "digits (8x8) or mnist5k (28x28)"))
      \(field("validation", "0.15", "stratified shares held out"))
        test: 0.15
      model:
      \(field("experts", experts, "per group when groups > 0"))
      \(field("hidden", hidden, "each expert: input -> hidden -> classes"))
      \(field("router", router, routers))
      \(field("k", k, "experts per input (top-k routers)"))
      \(field("capacity_factor", capacityFactor, "slots per expert over an even share (switch, gshard, expertChoice)"))
      \(field("groups", groups, "0: a flat mixture; n: n groups under a softmax gate"))
      \(field("threshold", "0.1", "tau: an expert runs where its gate weight >= tau (threshold)"))
      \(field("bias_update_rate", "0.001", "gamma of the selection bias step (biasBalancedTopK)"))
      training:
      \(field("epochs", epochs, "passes over the training split"))
        batch_size: 64
        learning_rate: 0.003
      \(field("optimizer", "adam", "adam or sgd"))
      \(field("schedule", "constant", "constant or cosine"))
      \(field("gradient_clipping", "1.0", "largest gradient norm; 0: none"))
      \(field("early_stopping_patience", 0, "epochs without a better validation loss; 0: never stop early"))
      losses:                      # weights of the auxiliary losses added to the cross-entropy
      \(field("load_balancing", loadBalancing, "E sum_i f_i P_i (Fedus et al. 2021)"))
      \(field("importance", importance, "cv^2 of importance (Shazeer et al. 2017)"))
      \(field("load", load, "cv^2 of the smooth load estimate (noisy top-k only)"))
      \(field("z_loss", zLoss, "mean logsumexp^2 of the router logits (Zoph et al. 2022)"))
      \(field("entropy", "0.0", "mean gate entropy (positive: sharper routing)"))
      \(field("variance", "0.0", "variance of the experts' shares of probability"))
      \(field("gini", "0.0", "Gini coefficient of those shares"))
      \(field("diversity", "0.0", "mean cosine similarity of two inputs' routing"))
      seed: 1

      """
  }
}
