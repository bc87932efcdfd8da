/// One expert's two-layer perceptron for `Tensor.routedFeedForward`: E(x) = W2 relu(W1 x + b1) + b2,
/// weights in PyTorch's layout ([hidden, input] and [output, hidden]).
public struct FeedForwardWeights {
  public let hiddenWeight: Tensor
  public let hiddenBias: Tensor?
  public let outputWeight: Tensor
  public let outputBias: Tensor?

  public init(hiddenWeight: Tensor, hiddenBias: Tensor?, outputWeight: Tensor, outputBias: Tensor?) {
    self.hiddenWeight = hiddenWeight
    self.hiddenBias = hiddenBias
    self.outputWeight = outputWeight
    self.outputBias = outputBias
  }
}

/// What the forward pass of `routedFeedForward` keeps for the backward pass; freed with the graph.
private final class RoutedFeedForwardCache {
  /// [A, D]: the input rows of every assignment, expert by expert (empty when the input is used as it is).
  var gathered: [Float] = []
  /// [A, H]: relu(W1 x + b1) of every assignment.
  var hidden: [Float] = []
  /// [A, O]: E(x) of every assignment, before its weight.
  var outputs: [Float] = []
}

extension Tensor {
  /// Sparse dispatch through two-layer perceptron experts, as one op:
  ///
  ///     y[n] = sum over assignments a with rows[a] = n of weights[a] * E_e(a)(x[n]),
  ///     E_e(x) = W2_e relu(W1_e x + b1_e) + b2_e
  ///
  /// The assignments are grouped by expert: the first counts[0] rows go to expert 0, the next
  /// counts[1] to expert 1, and so on (as `ExpertAssignments` orders them). Each expert gathers
  /// its rows into one block and runs two sgemms on it, the bias and the ReLU applied in the
  /// same pass; the rows, scaled by their weights, are added into y (rows no assignment names stay
  /// zero). It computes exactly what indexSelect, two `affine`s, `relu` and `weightedScatter` do, in
  /// the same order of floating-point operations, so results are bit-identical to that chain; it
  /// saves their intermediate tensors and graph nodes, which at 32 tokens an expert cost as much as
  /// a tenth of a step.
  ///
  /// Backward, per expert (from the last to the first, as the chain's backward runs):
  /// dE = weights[a] * g[rows[a]], d weights[a] = <g[rows[a]], E(x)>; dW2 += dE^T h, db2 += sum dE;
  /// dh = (dE W2) * [h > 0]; dW1 += dh^T x, db1 += sum dh; dx[rows[a]] += dh W1.
  ///
  /// - Parameters:
  ///   - input: [N, D]
  ///   - rows: A row indices in 0..<N, grouped by expert; an expert names each row at most once.
  ///   - counts: E counts (some may be 0) that sum to A.
  ///   - weights: [A], the combine weight of each assignment.
  ///   - experts: E experts' weights, all of one shape.
  public static func routedFeedForward(
    _ input: Tensor, rows: [Int], counts: [Int], weights: Tensor, experts: [FeedForwardWeights]
  ) -> Tensor {
    guard let first = experts.first else { tensorFailure("routedFeedForward: no experts given") }
    if input.rank != 2 { tensorFailure("routedFeedForward: input must be [N, D], got \(input.shape)") }
    let (tokenCount, inputSize) = (input.shape[0], input.shape[1])
    let hiddenSize = first.hiddenWeight.shape[0]
    let outputSize = first.outputWeight.shape[0]
    for (index, expert) in experts.enumerated() {
      if expert.hiddenWeight.shape != [hiddenSize, inputSize] || expert.outputWeight.shape != [outputSize, hiddenSize]
        || (expert.hiddenBias.map { $0.shape != [hiddenSize] } ?? false)
        || (expert.outputBias.map { $0.shape != [outputSize] } ?? false)
      {
        tensorFailure(
          "routedFeedForward: expert \(index) has weights \(expert.hiddenWeight.shape), \(expert.outputWeight.shape); expected [\(hiddenSize), \(inputSize)] and [\(outputSize), \(hiddenSize)] with matching biases"
        )
      }
    }
    if counts.count != experts.count {
      tensorFailure("routedFeedForward: \(counts.count) counts for \(experts.count) experts")
    }
    let assignmentCount = rows.count
    if counts.reduce(0, +) != assignmentCount || counts.contains(where: { $0 < 0 }) {
      tensorFailure("routedFeedForward: counts \(counts) do not split \(assignmentCount) rows")
    }
    if weights.count != assignmentCount {
      tensorFailure("routedFeedForward: \(weights.count) weights for \(assignmentCount) rows")
    }
    for (position, row) in rows.enumerated() where row < 0 || row >= tokenCount {
      tensorFailure("routedFeedForward: row \(row) at position \(position) is outside 0..<\(tokenCount)")
    }
    var starts = [Int](repeating: 0, count: experts.count + 1)
    for (expert, count) in counts.enumerated() { starts[expert + 1] = starts[expert] + count }
    // An expert that takes every row in order reads the input in place, as the chain does.
    let readsInputInPlace = counts.map { $0 == tokenCount }.enumerated().map { expert, takesAll in
      takesAll && rows[starts[expert]..<starts[expert + 1]].elementsEqual(0..<tokenCount)
    }

    let cache = RoutedFeedForwardCache()
    // Every element the passes read is written first (the rows of an expert that reads the input in
    // place are never read), so the buffers start uninitialized.
    cache.gathered = uninitializedScalars(assignmentCount * inputSize)
    cache.hidden = uninitializedScalars(assignmentCount * hiddenSize)
    cache.outputs = uninitializedScalars(assignmentCount * outputSize)
    var result = [Float](repeating: 0, count: tokenCount * outputSize)
    input.withScalars { x in
      cache.gathered.withUnsafeMutableBufferPointer { gathered in
        cache.hidden.withUnsafeMutableBufferPointer { hidden in
          cache.outputs.withUnsafeMutableBufferPointer { outputs in
            for (expert, weightsOfExpert) in experts.enumerated() where counts[expert] > 0 {
              let (start, count) = (starts[expert], counts[expert])
              let block: UnsafePointer<Float>
              if readsInputInPlace[expert] {
                block = x.baseAddress!
              } else {
                let target = gathered.baseAddress! + start * inputSize
                for local in 0..<count {
                  (target + local * inputSize).update(
                    from: x.baseAddress! + rows[start + local] * inputSize, count: inputSize)
                }
                block = UnsafePointer(target)
              }
              let h = hidden.baseAddress! + start * hiddenSize
              affineForward(
                block, rows: count, weight: weightsOfExpert.hiddenWeight, bias: weightsOfExpert.hiddenBias, into: h)
              // relu as the engine's `relu` computes it: x > 0 ? x : 0 * x.
              for index in 0..<(count * hiddenSize) { h[index] = h[index] > 0 ? h[index] : 0 * h[index] }
              affineForward(
                UnsafePointer(h), rows: count, weight: weightsOfExpert.outputWeight, bias: weightsOfExpert.outputBias,
                into: outputs.baseAddress! + start * outputSize)
            }
            // y[rows[a]] += weights[a] * E(x)_a, assignment by assignment (as `weightedScatter`).
            weights.withScalars { w in
              result.withUnsafeMutableBufferPointer { y in
                for assignment in 0..<assignmentCount {
                  let scale = w[assignment]
                  let source = outputs.baseAddress! + assignment * outputSize
                  let target = y.baseAddress! + rows[assignment] * outputSize
                  for column in 0..<outputSize { target[column] += scale * source[column] }
                }
              }
            }
          }
        }
      }
    }

    var parents = [weights, input]
    for expert in experts {
      parents.append(expert.hiddenWeight)
      parents.append(expert.outputWeight)
      if let bias = expert.hiddenBias { parents.append(bias) }
      if let bias = expert.outputBias { parents.append(bias) }
    }
    return Tensor(
      shape: [tokenCount, outputSize], scalars: result, operation: "routedFeedForward", parents: parents
    ) { result in
      withExtendedLifetime(cache) {
        backward(result)
      }
    }

    func backward(_ result: Tensor) {
      let weights = result.parents[0]
      let input = result.parents[1]
      // dE of one expert's rows, dh, and dx of its rows: scratch buffers sized for the largest expert.
      let largest = counts.max() ?? 0
      var outputGradients = uninitializedScalars(largest * outputSize)
      var hiddenGradients = uninitializedScalars(largest * hiddenSize)
      var inputGradients = uninitializedScalars(input.requiresGrad ? largest * inputSize : 0)
      let x = input.scalars
      x.withUnsafeBufferPointer { x in
        result.gradientStorage!.withUnsafeBufferPointer { g in
          cache.gathered.withUnsafeBufferPointer { gathered in
            cache.hidden.withUnsafeBufferPointer { hidden in
              cache.outputs.withUnsafeBufferPointer { outputs in
                if weights.requiresGrad {
                  // d weights[a] = <g[rows[a]], E(x)_a>
                  weights.accumulateGradient { dw in
                    for assignment in 0..<assignmentCount {
                      let source = g.baseAddress! + rows[assignment] * outputSize
                      let output = outputs.baseAddress! + assignment * outputSize
                      var dot: Float = 0
                      for column in 0..<outputSize { dot += source[column] * output[column] }
                      dw[assignment] += dot
                    }
                  }
                }
                weights.withScalars { w in
                  for expert in stride(from: experts.count - 1, through: 0, by: -1) where counts[expert] > 0 {
                    let (start, count) = (starts[expert], counts[expert])
                    let expertWeights = experts[expert]
                    let h = hidden.baseAddress! + start * hiddenSize
                    let block = readsInputInPlace[expert] ? x.baseAddress! : gathered.baseAddress! + start * inputSize
                    outputGradients.withUnsafeMutableBufferPointer { dOutput in
                      hiddenGradients.withUnsafeMutableBufferPointer { dHidden in
                        // dE_a = 0 + weights[a] * g[rows[a]] (the block's gradient starts at zero).
                        for local in 0..<count {
                          let scale = w[start + local]
                          let source = g.baseAddress! + rows[start + local] * outputSize
                          let target = dOutput.baseAddress! + local * outputSize
                          for column in 0..<outputSize { target[column] = 0 + scale * source[column] }
                        }
                        let needsHiddenGradient =
                          input.requiresGrad || expertWeights.hiddenWeight.requiresGrad
                          || expertWeights.hiddenBias?.requiresGrad == true
                        affineBackward(
                          dOutput: UnsafePointer(dOutput.baseAddress!), input: UnsafePointer(h), rows: count,
                          weight: expertWeights.outputWeight, bias: expertWeights.outputBias,
                          dInput: needsHiddenGradient ? dHidden.baseAddress! : nil, accumulateInput: false)
                        guard needsHiddenGradient else { return }
                        // relu's backward: dh * (h > 0 ? 1 : 0).
                        for index in 0..<(count * hiddenSize) {
                          dHidden[index] = dHidden[index] * (h[index] > 0 ? 1 : 0)
                        }
                        if readsInputInPlace[expert] && input.requiresGrad {
                          // The expert read the input itself: dx goes straight into its gradient, as in `affine`.
                          input.writeOrAccumulateGradient { dx, accumulate in
                            affineBackward(
                              dOutput: UnsafePointer(dHidden.baseAddress!), input: block, rows: count,
                              weight: expertWeights.hiddenWeight, bias: expertWeights.hiddenBias, dInput: dx,
                              accumulateInput: accumulate)
                          }
                          return
                        }
                        inputGradients.withUnsafeMutableBufferPointer { dInput in
                          affineBackward(
                            dOutput: UnsafePointer(dHidden.baseAddress!), input: block, rows: count,
                            weight: expertWeights.hiddenWeight, bias: expertWeights.hiddenBias,
                            dInput: input.requiresGrad ? dInput.baseAddress! : nil, accumulateInput: false)
                          guard input.requiresGrad else { return }
                          // dx[rows[a]] += dx_a, as indexSelect's backward adds it.
                          input.accumulateGradient { dx in
                            for local in 0..<count {
                              let source = dInput.baseAddress! + local * inputSize
                              let target = dx + rows[start + local] * inputSize
                              for column in 0..<inputSize { target[column] += source[column] }
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
      }
    }
  }
}

/// A buffer of `count` floats whose elements the caller writes before reading any.
private func uninitializedScalars(_ count: Int) -> [Float] {
  [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

/// y = x W^T + b for `rows` rows of x, as `affine` computes it: the bias rows first, then sgemm adds
/// (beta 1), or sgemm alone without a bias.
private func affineForward(
  _ x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor?, into y: UnsafeMutablePointer<Float>
) {
  let (outputs, inputs) = (weight.shape[0], weight.shape[1])
  if let bias {
    bias.withScalars { b in
      for row in 0..<rows { (y + row * outputs).update(from: b.baseAddress!, count: outputs) }
    }
  }
  weight.withScalars { w in
    sgemm(
      transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x, b: w.baseAddress!,
      beta: bias == nil ? 0 : 1, c: y)
  }
}

/// `affine`'s backward for a block of `rows` rows: dx = dy W (into `dInput` when given), dW (+)= dy^T x,
/// db (+)= column sums of dy, each written or accumulated as the parameter's gradient requires.
private func affineBackward(
  dOutput g: UnsafePointer<Float>, input x: UnsafePointer<Float>, rows: Int, weight: Tensor, bias: Tensor?,
  dInput: UnsafeMutablePointer<Float>?, accumulateInput: Bool
) {
  let (outputs, inputs) = (weight.shape[0], weight.shape[1])
  if let dInput {
    weight.withScalars { w in
      sgemm(
        transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs, a: g, b: w.baseAddress!,
        beta: accumulateInput ? 1 : 0, c: dInput)
    }
  }
  if weight.requiresGrad {
    weight.writeOrAccumulateGradient { dw, accumulate in
      sgemm(
        transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows, a: g, b: x,
        beta: accumulate ? 1 : 0, c: dw)
    }
  }
  if let bias, bias.requiresGrad {
    bias.writeOrAccumulateGradient { db, accumulate in
      addColumnSums(of: g, rows: rows, columns: outputs, into: db, accumulate: accumulate)
    }
  }
}
