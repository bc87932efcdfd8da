import NeuralNetworks
import Testing

@Suite struct PoolingTests {
  /// Pairwise distinct values (a shuffled grid 0.1 apart): no ties, even after a finite-difference step.
  static func distinctLeaf(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    let count = shape.reduce(1, *)
    let values = generator.permutation(count).map { Float($0) * 0.1 - Float(count) * 0.05 }
    return Tensor(shape: shape, scalars: values, requiresGrad: true)
  }

  /// max over each window, -infinity outside the image.
  static func naiveMaxPool(_ x: Tensor, kernel: Int, stride: Int, padding: Int) -> [Float] {
    let (planes, height, width) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let outHeight = (height + 2 * padding - kernel) / stride + 1
    let outWidth = (width + 2 * padding - kernel) / stride + 1
    var y: [Float] = []
    for plane in 0..<planes {
      for oy in 0..<outHeight {
        for ox in 0..<outWidth {
          var best = -Float.infinity
          for i in 0..<kernel {
            for j in 0..<kernel {
              let (iy, ix) = (oy * stride - padding + i, ox * stride - padding + j)
              if iy >= 0 && iy < height && ix >= 0 && ix < width {
                best = Swift.max(best, x.scalars[(plane * height + iy) * width + ix])
              }
            }
          }
          y.append(best)
        }
      }
    }
    return y
  }

  @Test(arguments: [(2, nil, 0), (3, 2, 1), (3, 1, 0), (2, 1, 1)] as [(Int, Int?, Int)])
  func matchesNaiveMaxPool(kernel: Int, stride: Int?, padding: Int) {
    let x = Self.distinctLeaf([2, 3, 7, 6], seed: 1)
    let pool = MaxPool2D(kernelSize: kernel, stride: stride, padding: padding)
    let y = pool(x)
    let s = stride ?? kernel
    #expect(y.shape == [2, 3, (7 + 2 * padding - kernel) / s + 1, (6 + 2 * padding - kernel) / s + 1])
    #expect(y.scalars == Self.naiveMaxPool(x, kernel: kernel, stride: s, padding: padding))
  }

  @Test func hasNoParametersAndDefaultsStrideToKernel() {
    let pool = MaxPool2D(kernelSize: 2)
    #expect(pool.namedParameters.isEmpty)
    #expect(pool.stride == 2)
    #expect(pool(Tensor.zeros([4, 16, 28, 28])).shape == [4, 16, 14, 14])
  }

  @Test(arguments: [(2, 2, 0), (3, 2, 1), (3, 1, 0)])
  func gradientCheck(kernel: Int, stride: Int, padding: Int) {
    let x = Self.distinctLeaf([2, 2, 6, 5], seed: 2)
    let report = checkGradients(
      of: { t in t[0].maxPool2d(kernelSize: kernel, stride: stride, padding: padding) }, at: [x])
    #expect(report.passes(tolerance: 1e-2), "\(report)")
  }

  @Test func gradientGoesToTheFirstMaximumOnTies() {
    let x = Tensor(
      shape: [1, 1, 2, 4], scalars: [1, 3, 5, 5, 3, 2, 5, 4], requiresGrad: true)
    let y = x.maxPool2d(kernelSize: 2)
    #expect(y.scalars == [3, 5])
    y.sum().backward()
    // Window 1: the 3 at (0, 1) comes before the 3 at (1, 0); window 2: the 5 at (0, 2) first.
    #expect(x.grad!.scalars == [0, 1, 1, 0, 0, 0, 0, 0])
  }

  @Test func halvingWindowsWithNaNOrOpposedInfinitiesGiveTheGeneralResult() {
    // 2x2 windows, stride 2: a NaN wins its window (as in PyTorch) and gets the gradient; a window
    // holding +infinity and -infinity (its sum is NaN too) still takes its maximum, +infinity.
    let x = Tensor(
      shape: [1, 1, 2, 6], scalars: [1, .nan, 5, 5, .infinity, 0, 3, 2, 5, 4, 1, -.infinity], requiresGrad: true)
    let y = x.maxPool2d(kernelSize: 2)
    #expect(y.scalars[0].isNaN)
    #expect(Array(y.scalars[1...]) == [5, .infinity])
    y.sum().backward()
    #expect(x.grad!.scalars == [0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0])
  }

  /// Rows of 4 to 11 windows: groups of four, and a last group shifted back onto windows already done.
  @Test(arguments: [8, 9, 14, 15, 22, 23])
  func halvingMatchesNaiveMaxPoolOnWideRows(width: Int) {
    let x = Self.distinctLeaf([2, 2, 5, width], seed: UInt64(width))
    let y = x.maxPool2d(kernelSize: 2)
    #expect(y.scalars == Self.naiveMaxPool(x, kernel: 2, stride: 2, padding: 0))
    // The gradient reaches exactly each window's maximum: one 1 per output, nowhere else.
    y.sum().backward()
    let expected = x.scalars.map { value in y.scalars.contains(value) ? Float(1) : 0 }
    #expect(x.grad!.scalars == expected)
  }

  @Test func halvingGradientAddsOntoAnExistingGradient() {
    // The first use writes the input's gradient (the kernel that needs no zero fill), the second adds.
    let x = Self.distinctLeaf([2, 3, 7, 9], seed: 4)
    let once = x.maxPool2d(kernelSize: 2)
    (x.maxPool2d(kernelSize: 2).sum() + once.sum() * 3).backward()
    let expected = x.scalars.map { value in once.scalars.contains(value) ? Float(4) : 0 }
    #expect(x.grad!.scalars == expected)
  }

  @Test func halvingGradientCheckOnWideRows() {
    let x = Self.distinctLeaf([1, 2, 4, 18], seed: 3)
    let report = checkGradients(of: { t in t[0].maxPool2d(kernelSize: 2) }, at: [x])
    #expect(report.passes(tolerance: 1e-2), "\(report)")
  }

  @Test func halvingSkipsTheOddLastRowAndColumn() {
    // 5x5 planes: windows cover rows and columns 0...3; the fifth row and column (all 100) never win.
    var values = [Float](repeating: 100, count: 2 * 25)
    for plane in 0..<2 {
      for row in 0..<4 {
        for column in 0..<4 { values[plane * 25 + row * 5 + column] = Float(plane * 16 + row * 4 + column) }
      }
    }
    let y = Tensor(shape: [1, 2, 5, 5], scalars: values).maxPool2d(kernelSize: 2)
    // Each window's largest value is its bottom-right one.
    #expect(y.scalars == [5, 7, 13, 15, 21, 23, 29, 31])
  }

  @Test func overlappingWindowsAccumulateGradient() {
    let x = Tensor(shape: [1, 1, 1, 4], scalars: [0, 9, 1, 2], requiresGrad: true)
    // 2x2 windows, stride 1, padding 1 over a one-row image: every window sees that row once,
    // and neighbouring windows overlap by one column.
    let y = x.maxPool2d(kernelSize: 2, stride: 1, padding: 1)
    #expect(y.shape == [1, 1, 2, 5])
    y.sum().backward()
    // The 9 wins the windows covering columns (0, 1) and (1, 2) in both output rows.
    #expect(x.grad!.scalars == [2, 4, 0, 4])
  }

  @Test func notFourDimensionalFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      _ = MaxPool2D(kernelSize: 2)(Tensor.zeros([3, 28, 28]))
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(
      text.contains(
        "error: MaxPool2D(kernel 2, stride 2, padding 0): input of shape [3, 28, 28]; expected [batch, channels, height, width] (NCHW)"
      ), "\(text)")
  }
}
