// `import MoE` brings the whole engine along: tensors, layers, optimizers, losses.
@_exported import NeuralNetworks
