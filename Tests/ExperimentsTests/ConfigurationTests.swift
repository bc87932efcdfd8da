import Experiments
import MoE
import Testing

/// A bad configuration is named by its key path and what is wrong, in one line; an unknown key is an
/// error, never ignored.
@Suite struct ConfigurationTests {
  func template(_ name: String, _ overrides: [String] = []) throws -> ConfigurationTree {
    var tree = try ConfigurationTree.parse(yaml: try ExperimentTemplates.named(name).yaml, source: name)
    for assignment in overrides { try tree.override(assignment) }
    return tree
  }

  func error(_ overrides: [String], template name: String = "sparse") -> String {
    do {
      _ = try ExperimentConfiguration(tree: try template(name, overrides))
      return "no error"
    } catch {
      return "\(error)"
    }
  }

  @Test(arguments: ExperimentTemplates.names)
  func everyTemplateIsAValidConfiguration(name: String) throws {
    let configuration = try ExperimentConfiguration(tree: try template(name))
    #expect(configuration.training.epochs > 0)
    #expect(configuration.model.k <= configuration.model.experts)
  }

  @Test func theSparseTemplateReadsAsWritten() throws {
    let configuration = try ExperimentConfiguration(tree: try template("sparse"))
    #expect(configuration.model.experts == 16 && configuration.model.k == 4)
    #expect(configuration.model.router == "noisyTopK")
    #expect(configuration.losses.importance == 0.1 && configuration.losses.load == 0.1)
    #expect(configuration.data.dataset == "digits" && configuration.seed == 1)
  }

  @Test func overridesChangeOneKey() throws {
    let configuration = try ExperimentConfiguration(tree: try template("basic", ["training.epochs=5", "seed=9"]))
    #expect(configuration.training.epochs == 5 && configuration.seed == 9)
  }

  @Test func mistakesNameTheKeyPath() {
    #expect(error(["training.epochs=-3"]) == "training.epochs: expected a positive integer, got -3")
    #expect(error(["training.epochs=many"]) == "training.epochs: expected a positive integer, got 'many'")
    #expect(error(["model.router=topk2"]).hasPrefix("model.router: unknown router 'topk2'; known: softmax, topK"))
    #expect(error(["model.k=32"]) == "model.k: expected at most model.experts (16), got 32")
    #expect(error(["data.dataset=cifar"]) == "data.dataset: unknown value 'cifar'; known: digits, mnist5k")
    #expect(error(["training.learning_rate=-1"]).hasPrefix("training.learning_rate: expected a number in"))
  }

  @Test func theThresholdAndTheBiasStepReachTheirRouters() throws {
    let configuration = try ExperimentConfiguration(
      tree: try template("basic", ["model.router=threshold", "model.threshold=0.3"]))
    let mixture = try ExperimentModel.make(configuration.model, inputSize: 64, classCount: 10, seed: 1)
    #expect((mixture.gate as? ThresholdGate)?.threshold == 0.3)
    let biased = try ExperimentConfiguration(
      tree: try template("sparse", ["model.router=biasBalancedTopK", "model.bias_update_rate=0.25"]))
    let biasedMixture = try ExperimentModel.make(biased.model, inputSize: 64, classCount: 10, seed: 1)
    #expect((biasedMixture.gate as? BiasBalancedTopKGate)?.updateRate == 0.25)
    #expect(error(["model.threshold=1.5"]) == "model.threshold: expected a number in 0.0...1.0, got 1.5")
  }

  @Test func aConfigurationWrittenBeforeTheOptionalKeysExistedStillReads() throws {
    let yaml = try ExperimentTemplates.named("basic").yaml.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.contains("threshold:") && !$0.contains("bias_update_rate:") }.joined(separator: "\n")
    let configuration = try ExperimentConfiguration(tree: try ConfigurationTree.parse(yaml: yaml, source: "old.yaml"))
    #expect(configuration.model.threshold == 0.1 && configuration.model.biasUpdateRate == 0.001)
  }

  @Test func anUnknownKeyIsAnErrorNotIgnored() throws {
    #expect(
      throws: ConfigurationError(
        "training.epoch",
        "unknown key; known: training.epochs, training.batch_size, training.learning_rate, training.optimizer, "
          + "training.schedule, training.gradient_clipping, training.early_stopping_patience")
    ) {
      var tree = try template("basic")
      try tree.override("training.epoch=5")
    }
    let yaml = try ExperimentTemplates.named("basic").yaml + "extra: 1\n"
    #expect(throws: ConfigurationError("extra", "unknown section; known: data, model, training, losses, seed")) {
      _ = try ExperimentConfiguration(tree: try ConfigurationTree.parse(yaml: yaml, source: "file"))
    }
    let nested = try ExperimentTemplates.named("basic").yaml.replacingOccurrences(
      of: "  epochs: 30", with: "  epochs: 30\n  epochz: 3")
    #expect(throws: ConfigurationError.self) {
      _ = try ExperimentConfiguration(tree: try ConfigurationTree.parse(yaml: nested, source: "file"))
    }
  }

  @Test func brokenYAMLIsNamedByItsFile() {
    #expect(throws: ConfigurationError.self) { _ = try ConfigurationTree.parse(yaml: "data: [1, 2", source: "x.yaml") }
    do {
      _ = try ConfigurationTree.parse(yaml: "", source: "empty.yaml")
    } catch {
      #expect("\(error)" == "empty.yaml: the file is empty")
    }
  }

  @Test func theResolvedYAMLReadsBackAsTheSameTree() throws {
    let tree = try template("switch", ["training.epochs=7"])
    #expect(try ConfigurationTree.parse(yaml: tree.yaml(), source: "resolved") == tree)
  }
}
