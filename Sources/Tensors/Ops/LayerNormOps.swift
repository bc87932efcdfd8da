extension Tensor {
  /// Layer normalization over the last dimension (PyTorch's `layer_norm` with one normalized
  /// dimension), for each row x of D elements:
  ///   mean = sum(x) / D,  var = sum((x - mean)^2) / D  (biased)
  ///   y = (x - mean) / sqrt(var + epsilon) * weight + bias
  ///
  /// - Parameters:
  ///   - input: [..., D]
  ///   - weight, bias: [D] each, or nil (no scale / no shift).
  /// - Returns: the input's shape.
  ///
  /// Backward, with xhat = (x - mean) * r, r = 1 / sqrt(var + epsilon) and d = dy * weight:
  ///   dx = r * (d - mean(d) - xhat * mean(d * xhat)),  dweight += sum over rows of dy * xhat,
  ///   dbias += sum over rows of dy.
  public static func layerNorm(_ input: Tensor, weight: Tensor?, bias: Tensor?, epsilon: Float = 1e-5) -> Tensor {
    guard let size = input.shape.last, size > 0 else {
      tensorFailure("layerNorm: input of shape \(input.shape) has no last dimension to normalize")
    }
    for (name, parameter) in [("weight", weight), ("bias", bias)] {
      if let parameter, parameter.shape != [size] {
        tensorFailure(
          "layerNorm: \(name) of shape \(parameter.shape) for input \(input.shape); expected [\(size)] (the last dimension)"
        )
      }
    }
    if !(epsilon >= 0) { tensorFailure("layerNorm: epsilon \(epsilon) must be non-negative") }
    let rows = input.count / size
    // Kept for backward: the normalized input and each row's 1 / sqrt(var + epsilon).
    var normalized = [Float](repeating: 0, count: input.count)
    var reciprocalDeviations = [Float](repeating: 0, count: rows)
    var output = [Float](repeating: 0, count: input.count)
    let scale = 1 / Float(size)
    input.withScalars { x in
      normalized.withUnsafeMutableBufferPointer { xhat in
        reciprocalDeviations.withUnsafeMutableBufferPointer { deviations in
          for row in 0..<rows {
            let line = x.baseAddress! + row * size
            let target = xhat.baseAddress! + row * size
            var total: Float = 0
            for j in 0..<size { total += line[j] }
            let mean = total * scale
            var squares: Float = 0
            for j in 0..<size {
              let centered = line[j] - mean
              squares += centered * centered
            }
            let r = 1 / (squares * scale + epsilon).squareRoot()
            deviations[row] = r
            for j in 0..<size { target[j] = (line[j] - mean) * r }
          }
        }
        output.withUnsafeMutableBufferPointer { y in
          withOptionalPointer(weight) { w in
            withOptionalPointer(bias) { b in
              for row in 0..<rows {
                let source = xhat.baseAddress! + row * size
                let target = y.baseAddress! + row * size
                switch (w, b) {
                case (let w?, let b?): for j in 0..<size { target[j] = source[j] * w[j] + b[j] }
                case (let w?, nil): for j in 0..<size { target[j] = source[j] * w[j] }
                case (nil, let b?): for j in 0..<size { target[j] = source[j] + b[j] }
                case (nil, nil): target.update(from: source, count: size)
                }
              }
            }
          }
        }
      }
    }
    var parents = [input]
    let weightIndex = weight.map { _ in parents.count }
    if let weight { parents.append(weight) }
    let biasIndex = bias.map { _ in parents.count }
    if let bias { parents.append(bias) }
    return Tensor(shape: input.shape, scalars: output, operation: "layerNorm", parents: parents) { result in
      let input = result.parents[0]
      let weight = weightIndex.map { result.parents[$0] }
      let bias = biasIndex.map { result.parents[$0] }
      result.gradientStorage!.withUnsafeBufferPointer { g in
        normalized.withUnsafeBufferPointer { xhat in
          if let bias, bias.requiresGrad {
            bias.accumulateGradient { db in
              for row in 0..<rows {
                let line = g.baseAddress! + row * size
                for j in 0..<size { db[j] += line[j] }
              }
            }
          }
          if let weight, weight.requiresGrad {
            weight.accumulateGradient { dw in
              for row in 0..<rows {
                let line = g.baseAddress! + row * size
                let normalizedLine = xhat.baseAddress! + row * size
                for j in 0..<size { dw[j] += line[j] * normalizedLine[j] }
              }
            }
          }
          guard input.requiresGrad else { return }
          // Without a weight the scale is 1: read it from a row of ones, one loop for both cases.
          let ones = weight == nil ? [Float](repeating: 1, count: size) : []
          reciprocalDeviations.withUnsafeBufferPointer { deviations in
            ones.withUnsafeBufferPointer { ones in
              withOptionalPointer(weight) { w in
                let scaleRow = w ?? ones.baseAddress!
                input.accumulateGradient { dx in
                  for row in 0..<rows {
                    let line = g.baseAddress! + row * size
                    let normalizedLine = xhat.baseAddress! + row * size
                    let target = dx + row * size
                    // d = dy * weight; the two means of the formula.
                    var meanD: Float = 0
                    var meanDXhat: Float = 0
                    for j in 0..<size {
                      let d = line[j] * scaleRow[j]
                      meanD += d
                      meanDXhat += d * normalizedLine[j]
                    }
                    meanD *= scale
                    meanDXhat *= scale
                    let r = deviations[row]
                    for j in 0..<size {
                      target[j] += r * (line[j] * scaleRow[j] - meanD - normalizedLine[j] * meanDXhat)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Runs `body` on the elements of an optional tensor (nil when there is no tensor).
@inline(__always)
private func withOptionalPointer<R>(_ tensor: Tensor?, _ body: (UnsafePointer<Float>?) -> R) -> R {
  guard let tensor else { return body(nil) }
  return tensor.withScalars { body($0.baseAddress!) }
}
