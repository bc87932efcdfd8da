// The data sets work on the engine's tensors.
@_exported import Tensors
