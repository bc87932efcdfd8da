#if canImport(Glibc)
  import Glibc
#endif

extension Tensor {
  /// The dense mixture in one op: y[n, :] = sum_e weights[n, e] * outputs[e][n, :].
  ///
  /// `outputs` are E tensors of one shape [N, O]; `weights` is [N, E]. One op instead of
  /// stack, broadcast-multiply and sum keeps the small mixtures of the course cheap.
  /// Backward: d outputs[e][n, :] = weights[n, e] * g[n, :]; d weights[n, e] = <g[n, :], outputs[e][n, :]>.
  public static func weightedSum(_ outputs: [Tensor], weights: Tensor) -> Tensor {
    guard let first = outputs.first else { tensorFailure("weightedSum: no outputs given") }
    if first.rank != 2 { tensorFailure("weightedSum: outputs must be [N, O], got \(first.shape)") }
    let rows = first.shape[0]
    let width = first.shape[1]
    let experts = outputs.count
    if weights.shape != [rows, experts] {
      tensorFailure(
        "weightedSum: weights of shape \(weights.shape) for \(experts) outputs of shape \(first.shape); expected [\(rows), \(experts)]"
      )
    }
    for (index, output) in outputs.enumerated() where output.shape != first.shape {
      tensorFailure("weightedSum: output \(index) has shape \(output.shape) but output 0 has \(first.shape)")
    }
    var result = [Float](repeating: 0, count: rows * width)
    weights.withScalars { w in
      result.withUnsafeMutableBufferPointer { y in
        for (expert, output) in outputs.enumerated() {
          output.withScalars { x in
            for row in 0..<rows {
              let scale = w[row * experts + expert]
              let source = x.baseAddress! + row * width
              let target = y.baseAddress! + row * width
              for column in 0..<width { target[column] += scale * source[column] }
            }
          }
        }
      }
    }
    return Tensor(
      shape: [rows, width], scalars: result, operation: "weightedSum", parents: [weights] + outputs
    ) { result in
      let weights = result.parents[0]
      let outputs = result.parents.dropFirst()
      result.gradientStorage!.withUnsafeBufferPointer { g in
        weights.withScalars { w in
          for (expert, output) in outputs.enumerated() where output.requiresGrad {
            output.accumulateGradient { dx in
              for row in 0..<rows {
                let scale = w[row * experts + expert]
                for column in 0..<width { dx[row * width + column] += scale * g[row * width + column] }
              }
            }
          }
        }
        if weights.requiresGrad {
          weights.accumulateGradient { dw in
            for (expert, output) in outputs.enumerated() {
              output.withScalars { x in
                for row in 0..<rows {
                  var dot: Float = 0
                  for column in 0..<width { dot += g[row * width + column] * x[row * width + column] }
                  dw[row * experts + expert] += dot
                }
              }
            }
          }
        }
      }
    }
  }

  /// The combine step of sparse dispatch in one op: blocks of expert outputs, each row scaled by its
  /// weight and added into the row of the token it came from.
  ///
  /// `blocks` are [n_b, O] tensors whose rows, taken in order, are assignments a = 0..<A;
  /// y[rows[a], :] += weights[a] * block_row(a). `weights` has A elements; y is [rowCount, O] and
  /// rows that no assignment names stay zero.
  /// Backward: d block_row(a) = weights[a] * g[rows[a], :]; d weights[a] = <g[rows[a], :], block_row(a)>.
  public static func weightedScatter(_ blocks: [Tensor], rows: [Int], weights: Tensor, rowCount: Int) -> Tensor {
    let assignments = rows.count
    if weights.count != assignments {
      tensorFailure("weightedScatter: \(weights.count) weights for \(assignments) rows")
    }
    let width = blocks.first?.shape.last ?? 0
    var total = 0
    for (index, block) in blocks.enumerated() {
      if block.rank != 2 || block.shape[1] != width {
        tensorFailure("weightedScatter: block \(index) has shape \(block.shape); expected [n, \(width)]")
      }
      total += block.shape[0]
    }
    if total != assignments {
      tensorFailure("weightedScatter: blocks hold \(total) rows but \(assignments) rows are named")
    }
    for (position, row) in rows.enumerated() where row < 0 || row >= rowCount {
      tensorFailure("weightedScatter: row \(row) at position \(position) is outside 0..<\(rowCount)")
    }
    var result = [Float](repeating: 0, count: rowCount * width)
    weights.withScalars { w in
      result.withUnsafeMutableBufferPointer { y in
        var assignment = 0
        for block in blocks {
          block.withScalars { x in
            for local in 0..<block.shape[0] {
              let scale = w[assignment]
              let source = x.baseAddress! + local * width
              let target = y.baseAddress! + rows[assignment] * width
              for column in 0..<width { target[column] += scale * source[column] }
              assignment += 1
            }
          }
        }
      }
    }
    return Tensor(
      shape: [rowCount, width], scalars: result, operation: "weightedScatter", parents: [weights] + blocks
    ) { result in
      let weights = result.parents[0]
      let blocks = result.parents.dropFirst()
      result.gradientStorage!.withUnsafeBufferPointer { g in
        weights.withScalars { w in
          var assignment = 0
          for block in blocks {
            let count = block.shape[0]
            if block.requiresGrad {
              block.accumulateGradient { dx in
                for local in 0..<count {
                  let scale = w[assignment + local]
                  let source = g.baseAddress! + rows[assignment + local] * width
                  for column in 0..<width { dx[local * width + column] += scale * source[column] }
                }
              }
            }
            assignment += count
          }
        }
        if weights.requiresGrad {
          weights.accumulateGradient { dw in
            var assignment = 0
            for block in blocks {
              block.withScalars { x in
                for local in 0..<block.shape[0] {
                  let source = g.baseAddress! + rows[assignment] * width
                  var dot: Float = 0
                  for column in 0..<width { dot += source[column] * x[local * width + column] }
                  dw[assignment] += dot
                  assignment += 1
                }
              }
            }
          }
        }
      }
    }
  }

  /// The standard normal cumulative distribution Phi(x) = (1 + erf(x / sqrt 2)) / 2, element-wise;
  /// d/dx = exp(-x^2 / 2) / sqrt(2 pi). Used by the noisy top-k gate's smooth load estimate.
  public func normalCDF() -> Tensor { mapElements("normalCDF", NormalDistribution()) }
}

private struct NormalDistribution: ElementwiseFunction {
  func callAsFunction(_ x: Float) -> Float { 0.5 * (1 + erff(x * 0.70710678)) }
  func derivative(_ x: Float, _ y: Float) -> Float { 0.39894228 * expf(-0.5 * x * x) }
}
