import NeuralNetworks

/// The L1 penalty of a set of parameters (Tibshirani 1996, the lasso; slide 13's
/// `regularization_loss` without its strength):
///
///     L1 = sum over the tensors p of sum_j |p_j|
///
/// A sum, not a mean: its size grows with the number of parameters, so a strength that suits a small
/// model swamps the task loss of a large one. Its gradient is sign(p_j), the same size for a tiny
/// weight as for a large one, which is what pushes weights to zero (|p|'s subgradient 0 is used at
/// p_j = 0). An empty list gives 0.
public func l1Penalty(_ parameters: [Tensor]) -> Tensor {
  guard let first = parameters.first else { return Tensor(0) }
  return parameters.dropFirst().reduce(first.abs().sum()) { total, parameter in total + parameter.abs().sum() }
}

/// The L1 penalty of every parameter of `module` (its `parameters`, frozen ones included, as
/// PyTorch's `self.parameters()` in the slide).
public func l1Penalty(_ module: any Module) -> Tensor { l1Penalty(module.parameters) }
