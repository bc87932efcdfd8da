/// Walks every element of a broadcast result, handing the matching offsets in the two operands to
/// `body(outputIndex, offsetA, offsetB)`. The innermost dimension runs as a tight loop.
@inline(__always)
func forEachBroadcast(
  shape: [Int], stridesA: [Int], stridesB: [Int], _ body: (Int, Int, Int) -> Void
) {
  let rank = shape.count
  if rank == 0 {
    body(0, 0, 0)
    return
  }
  let total = shapeProduct(shape)
  if total == 0 { return }
  let innerSize = shape[rank - 1]
  let innerA = stridesA[rank - 1]
  let innerB = stridesB[rank - 1]
  var counter = [Int](repeating: 0, count: rank)
  var baseA = 0
  var baseB = 0
  var output = 0
  while output < total {
    var offsetA = baseA
    var offsetB = baseB
    for _ in 0..<innerSize {
      body(output, offsetA, offsetB)
      output += 1
      offsetA += innerA
      offsetB += innerB
    }
    // Carry into the outer dimensions like an odometer.
    var dimension = rank - 2
    while dimension >= 0 {
      counter[dimension] += 1
      baseA += stridesA[dimension]
      baseB += stridesB[dimension]
      if counter[dimension] < shape[dimension] { break }
      baseA -= stridesA[dimension] * shape[dimension]
      baseB -= stridesB[dimension] * shape[dimension]
      counter[dimension] = 0
      dimension -= 1
    }
  }
}

/// How two operands line up with their broadcast result.
enum BroadcastLayout {
  /// Same shape: elementwise by index.
  case same
  /// The second operand is a vector repeated over the rows of the first (bias add: [n, d] + [d]).
  case rowVector
  /// General NumPy broadcasting through strides.
  case general(shape: [Int], stridesA: [Int], stridesB: [Int])

  init(_ a: [Int], _ b: [Int], resultShape: [Int]) {
    if a == b {
      self = .same
    } else if a == resultShape, let last = a.last,
      b == [last] || (b.count == a.count && b.dropLast().allSatisfy { $0 == 1 } && b.last == last)
    {
      self = .rowVector
    } else {
      self = .general(
        shape: resultShape, stridesA: broadcastStrides(a, to: resultShape),
        stridesB: broadcastStrides(b, to: resultShape))
    }
  }
}

extension Tensor {
  /// z = f(a, b) element-wise with NumPy broadcasting; `partials` gives (dz/da, dz/db) at each element.
  /// Gradients of broadcast operands are summed over the dimensions they were stretched along.
  @inline(__always)
  static func zipElements<Function: BinaryElementwiseFunction>(
    _ operation: String, _ a: Tensor, _ b: Tensor, _ function: Function
  ) -> Tensor {
    let resultShape = a.shape == b.shape ? a.shape : broadcastShape(a.shape, b.shape, operation: operation)
    let layout = BroadcastLayout(a.shape, b.shape, resultShape: resultShape)
    let n = shapeProduct(resultShape)
    var output = [Float](repeating: 0, count: n)
    a.scalars.withUnsafeBufferPointer { x in
      b.scalars.withUnsafeBufferPointer { y in
        output.withUnsafeMutableBufferPointer { z in
          switch layout {
          case .same:
            for index in 0..<n { z[index] = function(x[index], y[index]) }
          case .rowVector:
            let width = y.count
            var index = 0
            while index < n {
              for column in 0..<width { z[index + column] = function(x[index + column], y[column]) }
              index += width
            }
          case .general(let shape, let stridesA, let stridesB):
            forEachBroadcast(shape: shape, stridesA: stridesA, stridesB: stridesB) { o, i, j in
              z[o] = function(x[i], y[j])
            }
          }
        }
      }
    }
    return Tensor(shape: resultShape, scalars: output, operation: operation, parents: [a, b]) { result in
      let a = result.parents[0]
      let b = result.parents[1]
      if a === b {
        // x op x: one tensor, one gradient buffer; both partials land in it.
        result.gradientStorage!.withUnsafeBufferPointer { g in
          a.scalars.withUnsafeBufferPointer { x in
            a.accumulateGradient { dx in
              for index in 0..<n {
                let (pa, pb) = function.partials(x[index], x[index])
                dx[index] += g[index] * (pa + pb)
              }
            }
          }
        }
        return
      }
      let needA = a.requiresGrad
      let needB = b.requiresGrad
      result.gradientStorage!.withUnsafeBufferPointer { g in
        a.scalars.withUnsafeBufferPointer { x in
          b.scalars.withUnsafeBufferPointer { y in
            // Zero-filled scratch for an operand that needs no gradient keeps the loops branch-free.
            var scratchA: [Float] = needA ? [] : [Float](repeating: 0, count: x.count)
            var scratchB: [Float] = needB ? [] : [Float](repeating: 0, count: y.count)
            func withTarget(
              _ tensor: Tensor, _ need: Bool, _ scratch: inout [Float], _ body: (UnsafeMutablePointer<Float>) -> Void
            ) {
              if need {
                tensor.accumulateGradient(body)
              } else {
                scratch.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
              }
            }
            withTarget(a, needA, &scratchA) { da in
              withTarget(b, needB, &scratchB) { db in
                switch layout {
                case .same:
                  for index in 0..<n {
                    let (pa, pb) = function.partials(x[index], y[index])
                    da[index] += g[index] * pa
                    db[index] += g[index] * pb
                  }
                case .rowVector:
                  let width = y.count
                  var index = 0
                  while index < n {
                    for column in 0..<width {
                      let (pa, pb) = function.partials(x[index + column], y[column])
                      da[index + column] += g[index + column] * pa
                      db[column] += g[index + column] * pb
                    }
                    index += width
                  }
                case .general(let shape, let stridesA, let stridesB):
                  forEachBroadcast(shape: shape, stridesA: stridesA, stridesB: stridesB) { o, i, j in
                    let (pa, pb) = function.partials(x[i], y[j])
                    da[i] += g[o] * pa
                    db[j] += g[o] * pb
                  }
                }
              }
            }
          }
        }
      }
    }
  }

  /// a + b with broadcasting.
  public static func + (a: Tensor, b: Tensor) -> Tensor {
    zipElements("add", a, b, Sum())
  }
  /// a - b with broadcasting.
  public static func - (a: Tensor, b: Tensor) -> Tensor {
    zipElements("subtract", a, b, Difference())
  }
  /// a * b element-wise with broadcasting (not matrix multiplication: see `matmul`).
  public static func * (a: Tensor, b: Tensor) -> Tensor {
    zipElements("multiply", a, b, Product())
  }
  /// a / b with broadcasting; d/da = 1/b, d/db = -a/b^2.
  public static func / (a: Tensor, b: Tensor) -> Tensor {
    zipElements("divide", a, b, Quotient())
  }
  /// max(a, b) element-wise; the gradient goes to the larger operand (to `a` on ties).
  public static func maximum(_ a: Tensor, _ b: Tensor) -> Tensor {
    zipElements("maximum", a, b, Maximum())
  }
  /// min(a, b) element-wise; the gradient goes to the smaller operand (to `a` on ties).
  public static func minimum(_ a: Tensor, _ b: Tensor) -> Tensor {
    zipElements("minimum", a, b, Minimum())
  }

  /// Picks `a` where `condition` is non-zero and `b` elsewhere; all three broadcast together.
  /// The gradient flows to whichever operand was picked; `condition` gets none. Unpicked values never
  /// enter the arithmetic, so an infinite fill (masking logits with -inf) is safe.
  public static func select(where condition: Tensor, _ a: Tensor, _ b: Tensor) -> Tensor {
    let shape = broadcastShape(
      broadcastShape(condition.shape, a.shape, operation: "where"), b.shape, operation: "where")
    let mask = condition.detached().broadcast(to: shape).scalars
    let first = a.broadcast(to: shape)
    let second = b.broadcast(to: shape)
    var output = second.scalars
    first.withScalars { picked in
      for index in 0..<output.count where mask[index] != 0 { output[index] = picked[index] }
    }
    return Tensor(shape: shape, scalars: output, operation: "where", parents: [first, second]) { result in
      let first = result.parents[0]
      let second = result.parents[1]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        if first.requiresGrad {
          first.accumulateGradient { da in
            for index in 0..<g.count where mask[index] != 0 { da[index] += g[index] }
          }
        }
        if second.requiresGrad {
          second.accumulateGradient { db in
            for index in 0..<g.count where mask[index] == 0 { db[index] += g[index] }
          }
        }
      }
    }
  }

  /// This tensor with `value` wherever `mask` (broadcast to this shape) is non-zero.
  /// No gradient flows to the filled positions.
  public func maskedFill(_ mask: Tensor, value: Float) -> Tensor {
    let resultShape = broadcastShape(shape, mask.shape, operation: "maskedFill")
    if resultShape != shape {
      tensorFailure("maskedFill: mask of shape \(mask.shape) does not broadcast to \(shape)")
    }
    let fullMask = mask.shape == shape ? mask.scalars : mask.broadcast(to: shape).scalars
    var output = scalars
    for index in 0..<count where fullMask[index] != 0 { output[index] = value }
    return Tensor(shape: shape, scalars: output, operation: "maskedFill", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.accumulateGradient { dx in
          for index in 0..<g.count where fullMask[index] == 0 { dx[index] += g[index] }
        }
      }
    }
  }

  /// This tensor repeated along broadcast dimensions to `shape`; the gradient is summed back.
  public func broadcast(to target: [Int]) -> Tensor {
    if shape == target { return self }
    let checked = broadcastShape(shape, target, operation: "broadcast")
    if checked != target {
      tensorFailure("broadcast: shape \(shape) cannot be broadcast to \(target)")
    }
    return self + Tensor.zeros(target)
  }

  /// Element-wise comparison masks (1 where true, 0 elsewhere), with broadcasting; not differentiable.
  public static func .> (a: Tensor, b: Tensor) -> Tensor {
    withoutGradients { zipElements("greater", a, b, Greater()) }
  }
  public static func .< (a: Tensor, b: Tensor) -> Tensor { b .> a }
  public static func .> (a: Tensor, b: Float) -> Tensor { a .> Tensor(b) }
  public static func .< (a: Tensor, b: Float) -> Tensor { a .< Tensor(b) }
}

/// z = f(a, b) with its partial derivatives, as a type so the loops specialize (see `ElementwiseFunction`).
protocol BinaryElementwiseFunction {
  func callAsFunction(_ a: Float, _ b: Float) -> Float
  /// (dz/da, dz/db) at (a, b).
  func partials(_ a: Float, _ b: Float) -> (Float, Float)
}

private struct Sum: BinaryElementwiseFunction {
  func callAsFunction(_ a: Float, _ b: Float) -> Float { a + b }
  func partials(_ a: Float, _ b: Float) -> (Float, Float) { (1, 1) }
}

private struct Difference: BinaryElementwiseFunction {
  func callAsFunction(_ a: Float, _ b: Float) -> Float { a - b }
  func partials(_ a: Float, _ b: Float) -> (Float, Float) { (1, -1) }
}

private struct Product: BinaryElementwiseFunction {
  func callAsFunction(_ a: Float, _ b: Float) -> Float { a * b }
  func partials(_ a: Float, _ b: Float) -> (Float, Float) { (b, a) }
}

/// d/da = 1/b, d/db = -a/b^2.
private struct Quotient: BinaryElementwiseFunction {
  func callAsFunction(_ a: Float, _ b: Float) -> Float { a / b }
  func partials(_ a: Float, _ b: Float) -> (Float, Float) { (1 / b, -a / (b * b)) }
}

/// The gradient goes to the larger operand (to `a` on ties).
private struct Maximum: BinaryElementwiseFunction {
  func callAsFunction(_ a: Float, _ b: Float) -> Float { Swift.max(a, b) }
  func partials(_ a: Float, _ b: Float) -> (Float, Float) { a >= b ? (1, 0) : (0, 1) }
}

/// The gradient goes to the smaller operand (to `a` on ties).
private struct Minimum: BinaryElementwiseFunction {
  func callAsFunction(_ a: Float, _ b: Float) -> Float { Swift.min(a, b) }
  func partials(_ a: Float, _ b: Float) -> (Float, Float) { a <= b ? (1, 0) : (0, 1) }
}

/// 1 where a > b: a mask, never differentiated.
private struct Greater: BinaryElementwiseFunction {
  func callAsFunction(_ a: Float, _ b: Float) -> Float { a > b ? 1 : 0 }
  func partials(_ a: Float, _ b: Float) -> (Float, Float) { (0, 0) }
}
