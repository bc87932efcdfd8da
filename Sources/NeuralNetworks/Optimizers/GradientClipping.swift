/// Scales all gradients together so their global L2 norm is at most `maxNorm`
/// (PyTorch's clip_grad_norm_): norm = sqrt(sum over parameters of sum g^2);
/// if norm > maxNorm, every g is multiplied by maxNorm / (norm + 1e-6).
/// Returns the norm before clipping, which is worth logging: spikes show instabilities.
@discardableResult
public func clipGradientNorm(_ parameters: [Tensor], maxNorm: Float) -> Float {
  if !(maxNorm > 0) { tensorFailure("clipGradientNorm: maxNorm = \(maxNorm) must be positive") }
  var sumOfSquares: Double = 0
  for parameter in parameters {
    parameter.withGradient { g in
      var partial: Float = 0
      for value in g { partial += value * value }
      sumOfSquares += Double(partial)
    }
  }
  let norm = Float(sumOfSquares.squareRoot())
  let scale = maxNorm / (norm + 1e-6)
  if scale < 1 {
    for parameter in parameters {
      parameter.withMutableGradient { g in for i in 0..<g.count { g[i] *= scale } }
    }
  }
  return norm
}
