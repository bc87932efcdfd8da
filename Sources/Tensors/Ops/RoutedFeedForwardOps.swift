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

/// What the forward pass of `routedFeedForward` keeps for the backward pass, allocated by hand and
/// freed with the graph. Every element a pass reads is written first (the rows of an expert that reads
/// the input in place are never read), so the buffers start uninitialized.
private final class RoutedFeedForwardCache {
  /// [A, D]: the input rows of every assignment, expert by expert.
  let gathered: UnsafeMutablePointer<Float>
  /// [A, H]: relu(W1 x + b1) of every assignment.
  let hidden: UnsafeMutablePointer<Float>
  /// [A, O]: E(x) of every assignment, before its weight.
  let outputs: UnsafeMutablePointer<Float>

  init(assignments: Int, inputSize: Int, hiddenSize: Int, outputSize: Int) {
    gathered = .allocate(capacity: assignments * inputSize)
    hidden = .allocate(capacity: assignments * hiddenSize)
    outputs = .allocate(capacity: assignments * outputSize)
  }

  deinit {
    gathered.deallocate()
    hidden.deallocate()
    outputs.deallocate()
  }
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

    let cache = RoutedFeedForwardCache(
      assignments: assignmentCount, inputSize: inputSize, hiddenSize: hiddenSize, outputSize: outputSize)
    var result = [Float](repeating: 0, count: tokenCount * outputSize)
    input.withScalars { x in
      for (expert, weightsOfExpert) in experts.enumerated() where counts[expert] > 0 {
        let (start, count) = (starts[expert], counts[expert])
        var block = UnsafePointer(x.baseAddress!)
        if !readsInputInPlace[expert] {
          let target = cache.gathered + start * inputSize
          for local in 0..<count {
            (target + local * inputSize).update(
              from: x.baseAddress! + rows[start + local] * inputSize, count: inputSize)
          }
          block = UnsafePointer(target)
        }
        let h = cache.hidden + start * hiddenSize
        affineForward(
          block, rows: count, weight: weightsOfExpert.hiddenWeight, bias: weightsOfExpert.hiddenBias, into: h)
        // relu as the engine's `relu` computes it: x > 0 ? x : 0 * x.
        for index in 0..<(count * hiddenSize) { h[index] = h[index] > 0 ? h[index] : 0 * h[index] }
        affineForward(
          UnsafePointer(h), rows: count, weight: weightsOfExpert.outputWeight, bias: weightsOfExpert.outputBias,
          into: cache.outputs + start * outputSize)
      }
    }
    // y[rows[a]] += weights[a] * E(x)_a, assignment by assignment (as `weightedScatter`).
    weights.withScalars { w in
      result.withUnsafeMutableBufferPointer { y in
        for assignment in 0..<assignmentCount {
          let scale = w[assignment]
          let source = cache.outputs + assignment * outputSize
          let target = y.baseAddress! + rows[assignment] * outputSize
          for column in 0..<outputSize { target[column] += scale * source[column] }
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
      // dE, dh and dx of one expert's rows, sized for the largest expert.
      let largest = counts.max() ?? 0
      let dOutput = UnsafeMutablePointer<Float>.allocate(capacity: largest * outputSize)
      let dHidden = UnsafeMutablePointer<Float>.allocate(capacity: largest * hiddenSize)
      let dInput = UnsafeMutablePointer<Float>.allocate(capacity: largest * inputSize)
      defer {
        dOutput.deallocate()
        dHidden.deallocate()
        dInput.deallocate()
      }
      result.gradientStorage!.withUnsafeBufferPointer { g in
        let g = g.baseAddress!
        if weights.requiresGrad {
          // d weights[a] = <g[rows[a]], E(x)_a>
          weights.accumulateGradient { dw in
            for assignment in 0..<assignmentCount {
              let (source, output) = (g + rows[assignment] * outputSize, cache.outputs + assignment * outputSize)
              var dot: Float = 0
              for column in 0..<outputSize { dot += source[column] * output[column] }
              dw[assignment] += dot
            }
          }
        }
        input.withScalars { x in
          weights.withScalars { w in
            for expert in stride(from: experts.count - 1, through: 0, by: -1) where counts[expert] > 0 {
              backwardThroughExpert(expert, g: g, x: x.baseAddress!, w: w.baseAddress!)
            }
          }
        }
      }

      /// One expert's share of the chain's backward: its output affine, its relu, its hidden affine,
      /// then its rows of dx.
      func backwardThroughExpert(
        _ expert: Int, g: UnsafePointer<Float>, x: UnsafePointer<Float>, w: UnsafePointer<Float>
      ) {
        let (start, count, weightsOfExpert) = (starts[expert], counts[expert], experts[expert])
        let h = UnsafePointer(cache.hidden + start * hiddenSize)
        let block = readsInputInPlace[expert] ? x : UnsafePointer(cache.gathered + start * inputSize)
        // dE_a = 0 + weights[a] * g[rows[a]] (the block's gradient starts at zero).
        for local in 0..<count {
          let (scale, source) = (w[start + local], g + rows[start + local] * outputSize)
          let target = dOutput + local * outputSize
          for column in 0..<outputSize { target[column] = 0 + scale * source[column] }
        }
        let needsHiddenGradient =
          input.requiresGrad || weightsOfExpert.hiddenWeight.requiresGrad
          || weightsOfExpert.hiddenBias?.requiresGrad == true
        affineBackward(
          dOutput: dOutput, input: h, rows: count, weight: weightsOfExpert.outputWeight,
          bias: weightsOfExpert.outputBias, dInput: needsHiddenGradient ? dHidden : nil, accumulateInput: false)
        guard needsHiddenGradient else { return }
        // relu's backward: dh * (h > 0 ? 1 : 0).
        for index in 0..<(count * hiddenSize) { dHidden[index] = dHidden[index] * (h[index] > 0 ? 1 : 0) }
        if readsInputInPlace[expert] && input.requiresGrad {
          // The expert read the input itself: dx goes straight into its gradient, as in `affine`.
          input.writeOrAccumulateGradient { dx, accumulate in
            affineBackward(
              dOutput: dHidden, input: block, rows: count, weight: weightsOfExpert.hiddenWeight,
              bias: weightsOfExpert.hiddenBias, dInput: dx, accumulateInput: accumulate)
          }
          return
        }
        affineBackward(
          dOutput: dHidden, input: block, rows: count, weight: weightsOfExpert.hiddenWeight,
          bias: weightsOfExpert.hiddenBias, dInput: input.requiresGrad ? dInput : nil, accumulateInput: false)
        guard input.requiresGrad else { return }
        // dx[rows[a]] += dx_a, as indexSelect's backward adds it.
        input.accumulateGradient { dx in
          for local in 0..<count {
            let (source, target) = (dInput + local * inputSize, dx + rows[start + local] * inputSize)
            for column in 0..<inputSize { target[column] += source[column] }
          }
        }
      }
    }
  }
}
