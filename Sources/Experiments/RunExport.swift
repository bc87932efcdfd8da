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
/// The module covers the dense softmax gate, top-k and noisy top-k (noise off, as in evaluation) and
/// two-level mixtures of them; the capacity routers (switch, gshard, expertChoice) raise
/// NotImplementedError there, since their dropping depends on the batch.
public enum RunExport {
  public static let formats = ["safetensors"]

  /// Writes the export of the run in `folder` (trained by `runner`) to `destination`; returns the files.
  @discardableResult
  public static func write(_ runner: ExperimentRunner, to destination: String) throws -> [String] {
    let (tensors, _) = try SafeTensors.read(from: runner.folder.bestCheckpoint)
    let parameters = tensors.filter { !$0.name.hasPrefix("optimizer.") }
    do { try AtomicFile.createFolders(destination) } catch {
      throw ExperimentError.cannotWrite(path: destination, reason: error.reason)
    }
    let model = runner.configuration.model
    let shape: [String: Any] = [
      "router": model.router, "experts": model.experts, "hidden": model.hidden, "k": model.k,
      "groups": model.groups, "input_size": runner.data.training.featureCount,
      "classes": runner.data.training.classNames.count, "class_names": runner.data.training.classNames,
    ]
    let json = try JSONSerialization.data(withJSONObject: shape, options: [.prettyPrinted, .sortedKeys])
    let files = [
      destination + "/model.safetensors", destination + "/config.yaml", destination + "/model.json",
      destination + "/moe_model.py",
    ]
    try SafeTensors.write(parameters, metadata: ["format": "pt"], to: files[0])
    try runner.folder.write(try runner.folder.read(runner.folder.configuration), to: files[1])
    try runner.folder.write(String(decoding: json, as: UTF8.self) + "\n", to: files[2])
    try runner.folder.write(pythonModule, to: files[3])
    return files
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
    groups > 0:        y = sum_i g_i(x) y_i(x), each y_i a mixture as above under a softmax gate
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


    class MixtureOfExperts(nn.Module):
        def __init__(self, experts, router, k, inputs):
            super().__init__()
            if router not in ("softmax", "topK", "noisyTopK"):
                raise NotImplementedError(f"router {router!r}: only softmax, topK and noisyTopK are exported")
            self.experts = nn.ModuleList(experts)
            self.gate = Gate(inputs, len(experts), noisy=router == "noisyTopK")
            self.router, self.k = router, k

        def forward(self, x):
            logits = self.gate(x)
            if self.router == "softmax":
                weights = torch.softmax(logits, dim=-1)
            else:
                values, chosen = torch.topk(logits, self.k, dim=-1)
                weights = torch.zeros_like(logits).scatter(-1, chosen, torch.softmax(values, dim=-1))
            outputs = torch.stack([expert(x) for expert in self.experts], dim=1)  # [N, E, O]
            return (weights.unsqueeze(-1) * outputs).sum(dim=1)


    def build(shape):
        """The module that model.json describes, with untrained parameters."""
        def mixture():
            experts = [FeedForwardExpert(shape["input_size"], shape["hidden"], shape["classes"])
                       for _ in range(shape["experts"])]
            return MixtureOfExperts(experts, shape["router"], shape["k"], shape["input_size"])
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
