// Modules, layers, losses, optimizers, checkpoints.
