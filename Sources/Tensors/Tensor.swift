// The tensor engine: Tensor, reverse-mode autodiff, ops on OpenBLAS.
