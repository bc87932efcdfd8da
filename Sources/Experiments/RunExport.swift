import Foundation
import NeuralNetworks
import Support

/// `moe-experiment export RUN --format safetensors`: the run's best parameters with PyTorch's names, and
/// what a PyTorch user needs to load them without this package: the configuration (`config.yaml`), the
/// model's shape (`model.json`) and a module definition with a loader (`moe_model.py`), so that
///
///     import moe_model
///     model = moe_model.load("Results/my_sparse_moe/export")   # load_state_dict(strict=True)
///     logits = model(torch.tensor(images))                     # [N, classes]
///
/// gives the outputs the library gives (to 1e-5; a test checks it when a Python with torch is here).
/// The module covers the dense softmax gate, top-k and noisy top-k (noise off, as in evaluation),
/// the capacity routers switch, gshard and expertChoice (whose choices depend on the batch: give it
/// the batch the library was given) and two-level mixtures of them; threshold and task gates raise
/// NotImplementedError. `--format onnx` writes `model.onnx` instead (see `ONNXExport`).
public enum RunExport {
  /// `--format`: the PyTorch bundle (safetensors) or an ONNX model (see `ONNXExport`).
  public static let formats = ["safetensors", "onnx"]

  /// Writes the export of the run in `folder` (trained by `runner`) to `destination` in `format`;
  /// returns the files. An unknown format or a model the format does not cover throws before
  /// anything is written.
  @discardableResult
  public static func write(_ runner: ExperimentRunner, to destination: String, format: String = "safetensors")
    throws -> [String]
  {
    guard formats.contains(format) else { throw ExperimentError.unsupportedExport(format: format, known: formats) }
    if format == "onnx" { return try writeONNX(runner, to: destination) }
    let (tensors, _) = try SafeTensors.read(from: runner.folder.bestCheckpoint)
    let parameters = tensors.filter { !$0.name.hasPrefix("optimizer.") }
    try createFolder(destination)
    let files = [
      destination + "/model.safetensors", destination + "/config.yaml", destination + "/model.json",
      destination + "/moe_model.py",
    ]
    try SafeTensors.write(parameters, metadata: ["format": "pt"], to: files[0])
    try runner.folder.write(try runner.folder.read(runner.folder.configuration), to: files[1])
    try runner.folder.write(try shapeJSON(runner), to: files[2])
    try runner.folder.write(pythonModule, to: files[3])
    return files
  }

  /// model.onnx (the best parameters), config.yaml and model.json (the class names among them).
  static func writeONNX(_ runner: ExperimentRunner, to destination: String) throws -> [String] {
    let router = runner.configuration.model.router
    guard ONNXExport.routers.contains(router) else {
      throw ExperimentError.notExportable(
        format: "onnx",
        reason:
          "router '\(router)' is not covered; the ONNX export covers \(ONNXExport.routers.joined(separator: ", "))"
          + " (and groups of them); use --format safetensors for the PyTorch module")
    }
    try runner.loadCheckpoint(from: runner.folder.bestCheckpoint, optimizerState: false)
    runner.mixture.eval()
    let model = try ONNXExport.model(
      of: runner.mixture, inputSize: runner.data.training.featureCount,
      name: (runner.folder.path as NSString).lastPathComponent)
    let bytes: [UInt8] = try model.serializedBytes()
    try createFolder(destination)
    let files = [destination + "/model.onnx", destination + "/config.yaml", destination + "/model.json"]
    do { try AtomicFile.write(bytes, to: files[0]) } catch {
      throw ExperimentError.cannotWrite(path: files[0], reason: error.reason)
    }
    try runner.folder.write(try runner.folder.read(runner.folder.configuration), to: files[1])
    try runner.folder.write(try shapeJSON(runner), to: files[2])
    return files
  }

  static func createFolder(_ path: String) throws {
    do { try AtomicFile.createFolders(path) } catch {
      throw ExperimentError.cannotWrite(path: path, reason: error.reason)
    }
  }

  /// model.json: what `moe_model.build` needs, and the class names of the logits' columns.
  static func shapeJSON(_ runner: ExperimentRunner) throws -> String {
    let model = runner.configuration.model
    let shape: [String: Any] = [
      "router": model.router, "experts": model.experts, "hidden": model.hidden, "k": model.k,
      "groups": model.groups, "capacity_factor": Double(Float(model.capacityFactor)),
      "input_size": runner.data.training.featureCount,
      "classes": runner.data.training.classNames.count, "class_names": runner.data.training.classNames,
    ]
    let json = try JSONSerialization.data(withJSONObject: shape, options: [.prettyPrinted, .sortedKeys])
    return String(decoding: json, as: UTF8.self) + "\n"
  }

  /// The PyTorch twin of the course's mixtures, with the library's parameter names.
  static let pythonModule = #"""
    """The course's mixtures of experts as PyTorch modules, with the library's parameter names, and a
    loader for a folder written by `moe-experiment export` (model.safetensors, model.json).

        model = load("Results/my_sparse_moe/export")      # load_state_dict(strict=True)
        logits = model(x)                                 # x: [N, input_size] float32

    y = sum_e g_e(x) E_e(x), with E_e(x) = output(relu(hidden(x))) and g from the router:
    softmax:           g = softmax(x W^T + b)
    topK, noisyTopK:   v, i = topk(x W^T + b, k); g_i = softmax(v), 0 elsewhere (noise is off here,
                       as in the library's evaluation)
    switch:            p = softmax(x W^T + b); each token's top expert e gets g_e = p_e (Fedus et al. 2021)
    gshard:            the top two experts e1, e2 get w = p_e / (p_e1 + p_e2) (Lepikhin et al. 2020)
    expertChoice:      each expert takes the C tokens of highest p_e and weights them by p_e (Zhou et al. 2022)
    groups > 0:        y = sum_i g_i(x) y_i(x), each y_i a mixture as above under a softmax gate

    The capacity routers make the library's choices exactly (RoutingChoice.limited, SwitchRouter,
    GShardRouter, ExpertChoiceRouter), and those depend on the whole batch, so the outputs equal the
    library's for the same batch only:
    - capacity = ceil(capacity_factor * N * c / E) in float32, N the batch, c = 1 (switch, expert
      choice) or 2 (gshard); expert choice takes min(N, capacity) tokens per expert.
    - Priority: an expert serves every token's first choice before any token's second choice, and
      within a choice rank tokens in batch order (the library's default CapacityPriority.position, the
      only one the runner uses), so under pressure the last tokens of the batch are dropped.
    - A dropped (token, expert) pair gets weight 0: the mixture outputs zero for a token that lost all
      its experts (inside a residual block, x + MoE(x), it passes through unchanged); the kept weights
      are not renormalized.
    - GShard's second expert: always sent (GShard sends it with probability 2 w2; the library does not,
      to stay deterministic), with the pair's weights renormalized before capacity is applied.
    - Expert choice: a token no expert chose gets zero; one chosen by several gets each one's p_e.
    """
    import json
    import os

    import torch
    from torch import nn


    class FeedForwardExpert(nn.Module):
        def __init__(self, inputs, hidden, outputs):
            super().__init__()
            self.hidden = nn.Linear(inputs, hidden)
            self.output = nn.Linear(hidden, outputs)

        def forward(self, x):
            return self.output(torch.relu(self.hidden(x)))


    class Gate(nn.Module):
        """The router's scoring layer: weight [E, inputs], bias [E] (and noiseWeight for noisy top-k)."""

        def __init__(self, inputs, experts, noisy=False):
            super().__init__()
            self.weight = nn.Parameter(torch.zeros(experts, inputs))
            self.bias = nn.Parameter(torch.zeros(experts))
            if noisy:
                self.noiseWeight = nn.Parameter(torch.zeros(experts, inputs))

        def forward(self, x):
            return x @ self.weight.T + self.bias


    ROUTERS = ("softmax", "topK", "noisyTopK", "switch", "gshard", "expertChoice")


    def capacity(factor, tokens, choices, experts):
        """ceil(factor * tokens * choices / experts), computed in float32 as the library does."""
        product = torch.tensor(factor, dtype=torch.float32) * float(tokens * choices)
        return int(torch.ceil(product / float(experts)).item())


    def limited(chosen, weights, capacity, experts):
        """The token choice chosen [N, k] (experts) with weights [N, k], at most `capacity` slots per
        expert: slots are served rank by rank, tokens in batch order within a rank, and a slot that
        finds its expert full gets weight 0."""
        slots = chosen.T.reshape(-1)                                      # rank-major: [k * N]
        one_hot = nn.functional.one_hot(slots, experts)                   # [k * N, E]
        position = (one_hot.cumsum(dim=0) * one_hot).sum(dim=-1)          # 1-based place in its expert
        kept = (position <= capacity).reshape(chosen.shape[1], chosen.shape[0]).T
        return weights * kept.to(weights.dtype)


    class MixtureOfExperts(nn.Module):
        def __init__(self, experts, router, k, inputs, capacity_factor=1.0):
            super().__init__()
            if router not in ROUTERS:
                raise NotImplementedError(f"router {router!r}: exported routers are {', '.join(ROUTERS)}")
            self.experts = nn.ModuleList(experts)
            self.gate = Gate(inputs, len(experts), noisy=router == "noisyTopK")
            self.router, self.k, self.capacity_factor = router, k, capacity_factor

        def weights(self, logits):
            """g [N, E]: each expert's weight for each token, 0 where the expert is not used."""
            tokens, experts = logits.shape
            if self.router == "softmax":
                return torch.softmax(logits, dim=-1)
            if self.router in ("topK", "noisyTopK"):
                values, chosen = torch.topk(logits, self.k, dim=-1)
                return torch.zeros_like(logits).scatter(-1, chosen, torch.softmax(values, dim=-1))
            probabilities = torch.softmax(logits, dim=-1)
            if self.router == "expertChoice":
                taken = min(tokens, capacity(self.capacity_factor, tokens, 1, experts))
                scores, chosen = torch.topk(probabilities.T, taken, dim=-1)      # [E, C]: tokens
                return torch.zeros_like(probabilities.T).scatter(-1, chosen, scores).T
            choices = 1 if self.router == "switch" else 2
            top, chosen = torch.topk(probabilities, choices, dim=-1)
            if self.router == "gshard":
                top = top / top.sum(dim=-1, keepdim=True)
            kept = limited(chosen, top, capacity(self.capacity_factor, tokens, choices, experts), experts)
            return torch.zeros_like(probabilities).scatter(-1, chosen, kept)

        def forward(self, x):
            weights = self.weights(self.gate(x))
            outputs = torch.stack([expert(x) for expert in self.experts], dim=1)  # [N, E, O]
            return (weights.unsqueeze(-1) * outputs).sum(dim=1)


    def build(shape):
        """The module that model.json describes, with untrained parameters."""
        def mixture():
            experts = [FeedForwardExpert(shape["input_size"], shape["hidden"], shape["classes"])
                       for _ in range(shape["experts"])]
            return MixtureOfExperts(experts, shape["router"], shape["k"], shape["input_size"],
                                    shape.get("capacity_factor", 1.0))
        if shape["groups"] == 0:
            return mixture()
        top = MixtureOfExperts([mixture() for _ in range(shape["groups"])], "softmax", 1, shape["input_size"])
        return top


    def load(folder):
        """The exported model with its trained parameters (every name and shape must match)."""
        from safetensors.torch import load_file
        with open(os.path.join(folder, "model.json")) as f:
            shape = json.load(f)
        model = build(shape)
        model.load_state_dict(load_file(os.path.join(folder, "model.safetensors")), strict=True)
        return model.eval()
    """#
}
