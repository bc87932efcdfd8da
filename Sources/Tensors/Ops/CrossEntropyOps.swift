extension Tensor {
  /// Mean cross-entropy of class logits [n, classes] against integer labels, as one op:
  ///   L = (1/n) sum_i (logsumexp(logits_i) - logits_i[label_i])
  /// Each row's term is formed as log sum_j exp(x_j - m) - (x_label - m), with m the row's maximum, and
  /// the backward's softmax as exp((x_j - m) - log sum): at large logits the near-zero probabilities then
  /// keep their digits (as PyTorch's float32 cross-entropy does).
  /// Backward: dL/dlogits_i = (softmax(logits_i) - onehot(label_i)) / n.
  /// Fused because every classifier's training step ends here: one pass forward, one backward,
  /// instead of a log-softmax, a gather and a mean with their temporaries.
  public func crossEntropyLoss(labels: [Int]) -> Tensor {
    if rank != 2 { tensorFailure("crossEntropy: logits must be [batch, classes], got \(shape)") }
    let (rows, classes) = (shape[0], shape[1])
    if labels.count != rows { tensorFailure("crossEntropy: \(labels.count) labels for logits of shape \(shape)") }
    if rows == 0 { tensorFailure("crossEntropy: logits of shape \(shape) hold no rows") }
    if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
      tensorFailure("crossEntropy: label \(labels[bad]) at position \(bad) is outside 0..<\(classes)")
    }
    var rowMaximum = [Float](repeating: 0, count: rows)
    var rowLogTotal = [Float](repeating: 0, count: rows)
    var total: Double = 0
    withScalars { x in
      for row in 0..<rows {
        let (maximum, logTotal) = Tensor.shiftedLogSumExp(x, start: row * classes, stride: 1, size: classes)
        rowMaximum[row] = maximum
        rowLogTotal[row] = logTotal
        total += Double(logTotal - (x[row * classes + labels[row]] - maximum))
      }
    }
    return Tensor(
      shape: [], scalars: [Float(total / Double(rows))], operation: "crossEntropy", parents: [self]
    ) { result in
      let logits = result.parents[0]
      let scale = result.gradientStorage![0] / Float(rows)
      logits.withScalars { x in
        logits.accumulateGradient { dx in
          for row in 0..<rows {
            let base = row * classes
            for column in 0..<classes {
              dx[base + column] += scale * _exp((x[base + column] - rowMaximum[row]) - rowLogTotal[row])
            }
            dx[base + labels[row]] -= scale
          }
        }
      }
    }
  }
}
