import NeuralNetworks
import Testing

@Suite struct ConvolutionTests {
  static func leaf(_ shape: [Int], seed: UInt64) -> Tensor {
    var generator = SeededGenerator(seed: seed)
    return Tensor.uniform(shape, low: -1, high: 1, using: &generator, requiresGrad: true)
  }

  /// The definition, loop by loop: y[n, o, oy, ox] = b[o] + sum w[o, c, i, j] x[n, c, oy s - p + i, ox s - p + j].
  static func naiveConvolution(
    _ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Int, padding: Int
  ) -> (scalars: [Float], shape: [Int]) {
    let (batch, channels, height, width) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (outChannels, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
    let outHeight = (height + 2 * padding - kh) / stride + 1
    let outWidth = (width + 2 * padding - kw) / stride + 1
    let xs = x.scalars
    let ws = w.scalars
    var y = [Float](repeating: 0, count: batch * outChannels * outHeight * outWidth)
    for n in 0..<batch {
      for o in 0..<outChannels {
        for oy in 0..<outHeight {
          for ox in 0..<outWidth {
            var total = b?.scalars[o] ?? 0
            for c in 0..<channels {
              for i in 0..<kh {
                for j in 0..<kw {
                  let iy = oy * stride - padding + i
                  let ix = ox * stride - padding + j
                  if iy < 0 || iy >= height || ix < 0 || ix >= width { continue }
                  total +=
                    ws[((o * channels + c) * kh + i) * kw + j] * xs[((n * channels + c) * height + iy) * width + ix]
                }
              }
            }
            y[((n * outChannels + o) * outHeight + oy) * outWidth + ox] = total
          }
        }
      }
    }
    return (y, [batch, outChannels, outHeight, outWidth])
  }

  @Test func parametersHavePyTorchNamesShapesAndInitialization() {
    var generator = SeededGenerator(seed: 1)
    let conv = Conv2D(3, 8, kernelSize: 5, stride: 2, padding: 1, using: &generator)
    #expect(conv.namedParameters.map(\.name) == ["weight", "bias"])
    #expect(conv.namedParameters.map(\.tensor.shape) == [[8, 3, 5, 5], [8]])
    let bound = 1 / Float(3 * 5 * 5).squareRoot()
    for parameter in conv.parameters {
      #expect(parameter.requiresGrad)
      #expect(parameter.scalars.allSatisfy { $0 >= -bound && $0 < bound })
    }
    // Uniform on [-bound, bound]: the largest magnitude comes close to the bound.
    #expect(conv.weight.scalars.map { Swift.abs($0) }.max()! > 0.9 * bound)
    let withoutBias = Conv2D(3, 8, kernelSize: 3, bias: false, using: &generator)
    #expect(withoutBias.namedParameters.map(\.name) == ["weight"])
  }

  @Test(arguments: [(1, 0), (1, 1), (2, 0), (2, 1), (3, 2)])
  func matchesNaiveConvolution(stride: Int, padding: Int) {
    let x = Self.leaf([2, 3, 7, 6], seed: 10)
    let conv = Conv2D(
      weight: Self.leaf([4, 3, 3, 3], seed: 11), bias: Self.leaf([4], seed: 12), stride: stride, padding: padding)
    let y = conv(x)
    let expected = Self.naiveConvolution(x, conv.weight, conv.bias, stride: stride, padding: padding)
    #expect(y.shape == expected.shape)
    #expect(y.shape[2] == conv.outputSize(7) && y.shape[3] == conv.outputSize(6))
    let difference = zip(y.scalars, expected.scalars).map { Swift.abs($0 - $1) }.max()!
    #expect(difference < 1e-5)
  }

  /// One input channel and a 3x3 kernel run a direct kernel (with AVX-512): it must give the bits of
  /// the patch matrix times the weight through sgemm (what the general path computes), plus the bias.
  /// (One output channel keeps the general path, whose sgemm becomes a matrix-vector product.)
  @Test(arguments: [
    (16, 28, 28, 1), (8, 28, 28, 1), (4, 28, 28, 1), (16, 8, 8, 1), (3, 5, 7, 0), (20, 30, 19, 2), (2, 4, 3, 0), (1, 6, 5, 1),
    (33, 17, 40, 1),
  ])
  func singleChannel3x3IsBitForBitTheSgemmOfThePatchMatrix(outChannels: Int, height: Int, width: Int, padding: Int) {
    let x = Self.leaf([3, 1, height, width], seed: UInt64(height * 100 + width))
    let w = Self.leaf([outChannels, 1, 3, 3], seed: 13)
    let b = Self.leaf([outChannels], seed: 14)
    let (outHeight, outWidth) = (height + 2 * padding - 2, width + 2 * padding - 2)
    for bias in [b, nil] {
      let y = Tensor.conv2d(x, weight: w, bias: bias, padding: padding)
      var expected: [Float] = []
      for n in 0..<3 {
        var columns = [Float](repeating: 0, count: 9 * outHeight * outWidth)
        for t in 0..<9 {
          for oy in 0..<outHeight {
            for ox in 0..<outWidth {
              let (iy, ix) = (oy - padding + t / 3, ox - padding + t % 3)
              if iy >= 0 && iy < height && ix >= 0 && ix < width {
                columns[(t * outHeight + oy) * outWidth + ox] = x.scalars[(n * height + iy) * width + ix]
              }
            }
          }
        }
        var image = w.reshaped([outChannels, 9]).matmul(Tensor(shape: [9, outHeight * outWidth], scalars: columns))
        if let bias { image = image + bias.reshaped([outChannels, 1]) }
        expected += image.scalars
      }
      #expect(y.scalars.map(\.bitPattern) == expected.map(\.bitPattern), "bias: \(bias != nil)")
    }
  }

  @Test func gradientCheckSingleChannel3x3() {
    let x = Self.leaf([2, 1, 5, 6], seed: 15)
    let w = Self.leaf([3, 1, 3, 3], seed: 16)
    let b = Self.leaf([3], seed: 17)
    let report = checkGradients(of: { t in Tensor.conv2d(t[0], weight: t[1], bias: t[2], padding: 1) }, at: [x, w, b])
    #expect(report.passes(tolerance: 1e-2), "\(report)")
  }

  @Test func matchesNaiveConvolutionWithRectangularKernels() {
    // Same-width padding (kw = 2p + 1: the shifted-copy path of im2col) with kh != kw, and one
    // case off that path.
    for (shape, padding) in [([4, 3, 2, 3], 1), ([4, 3, 5, 3], 1), ([2, 3, 1, 5], 2), ([2, 3, 3, 1], 1)] {
      let x = Self.leaf([2, 3, 6, 5], seed: 13)
      let w = Self.leaf(shape, seed: 14)
      let b = Self.leaf([shape[0]], seed: 15)
      let y = Tensor.conv2d(x, weight: w, bias: b, stride: 1, padding: padding)
      let expected = Self.naiveConvolution(x, w, b, stride: 1, padding: padding)
      #expect(y.shape == expected.shape)
      #expect(zip(y.scalars, expected.scalars).allSatisfy { Swift.abs($0 - $1) < 1e-5 }, "weight \(shape)")
    }
  }

  @Test func outputSizeFollowsTheFormula() {
    var generator = SeededGenerator(seed: 2)
    // floor((28 + 2 - 3) / 1) + 1 = 28; floor((28 + 2 - 3) / 2) + 1 = 14; floor((9 - 4) / 3) + 1 = 2
    #expect(
      Conv2D(1, 2, kernelSize: 3, padding: 1, using: &generator)(Tensor.zeros([1, 1, 28, 28])).shape == [1, 2, 28, 28])
    #expect(
      Conv2D(1, 2, kernelSize: 3, stride: 2, padding: 1, using: &generator)(Tensor.zeros([1, 1, 28, 28])).shape == [
        1, 2, 14, 14,
      ])
    #expect(
      Conv2D(2, 3, kernelSize: 4, stride: 3, using: &generator)(Tensor.zeros([5, 2, 9, 9])).shape == [5, 3, 2, 2])
  }

  @Test(arguments: [(1, 0), (1, 1), (2, 0), (2, 1)])
  func gradientCheck(stride: Int, padding: Int) {
    let inputs = [Self.leaf([2, 2, 5, 6], seed: 20), Self.leaf([3, 2, 3, 3], seed: 21), Self.leaf([3], seed: 22)]
    let report = checkGradients(
      of: { t in Tensor.conv2d(t[0], weight: t[1], bias: t[2], stride: stride, padding: padding) }, at: inputs)
    #expect(report.passes(tolerance: 1e-2), "\(report)")
  }

  @Test func gradientCheckPointwiseAndNonSquareKernel() {
    // 1x1 kernels take the direct path (the image is its own patch matrix); 2x3 kernels test kh != kw.
    let pointwise = checkGradients(
      of: { t in Tensor.conv2d(t[0], weight: t[1], bias: nil) },
      at: [Self.leaf([2, 3, 4, 4], seed: 30), Self.leaf([2, 3, 1, 1], seed: 31)])
    #expect(pointwise.passes(tolerance: 1e-2), "\(pointwise)")
    let rectangular = checkGradients(
      of: { t in Tensor.conv2d(t[0], weight: t[1], bias: t[2], stride: 2, padding: 1) },
      at: [Self.leaf([1, 2, 5, 7], seed: 32), Self.leaf([2, 2, 2, 3], seed: 33), Self.leaf([2], seed: 34)])
    #expect(rectangular.passes(tolerance: 1e-2), "\(rectangular)")
  }

  /// Stride 1 with padding 1 takes the "same"-width path (whole shifted rows), stride 1 without
  /// padding and stride 2 the general one.
  @Test(arguments: [(2, 1), (1, 1), (1, 0), (1, 2)])
  func gradientsMatchNaiveAdjoint(stride: Int, padding: Int) {
    // dx and dW from the op against the loops' own derivative: for a loss sum(y * g),
    // dW[o, c, i, j] = sum g[n, o, oy, ox] x[n, c, oy s - p + i, ox s - p + j].
    let x = Self.leaf([2, 2, 6, 5], seed: 40)
    let w = Self.leaf([3, 2, 3, 3], seed: 41)
    let y = Tensor.conv2d(x, weight: w, bias: nil, stride: stride, padding: padding)
    let g = Self.leaf(y.shape, seed: 42).detached()
    (y * g).sum().backward()
    var expectedWeight = [Float](repeating: 0, count: w.count)
    var expectedInput = [Float](repeating: 0, count: x.count)
    let (outHeight, outWidth) = (y.shape[2], y.shape[3])
    for n in 0..<2 {
      for o in 0..<3 {
        for oy in 0..<outHeight {
          for ox in 0..<outWidth {
            let gradient = g.scalars[((n * 3 + o) * outHeight + oy) * outWidth + ox]
            for c in 0..<2 {
              for i in 0..<3 {
                for j in 0..<3 {
                  let iy = oy * stride - padding + i
                  let ix = ox * stride - padding + j
                  if iy < 0 || iy >= 6 || ix < 0 || ix >= 5 { continue }
                  let xIndex = ((n * 2 + c) * 6 + iy) * 5 + ix
                  let wIndex = ((o * 2 + c) * 3 + i) * 3 + j
                  expectedWeight[wIndex] += gradient * x.scalars[xIndex]
                  expectedInput[xIndex] += gradient * w.scalars[wIndex]
                }
              }
            }
          }
        }
      }
    }
    #expect(zip(w.grad!.scalars, expectedWeight).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
    #expect(zip(x.grad!.scalars, expectedInput).allSatisfy { Swift.abs($0 - $1) < 1e-5 })
  }

  @Test func twoLayerNetworkTrainsDownhill() {
    // A small CNN step: the loss after one SGD step along the gradient is lower.
    var generator = SeededGenerator(seed: 5)
    let conv1 = Conv2D(1, 4, kernelSize: 3, padding: 1, using: &generator)
    let conv2 = Conv2D(4, 2, kernelSize: 3, stride: 2, padding: 1, using: &generator)
    let x = Tensor.uniform([3, 1, 8, 8], low: 0, high: 1, using: &generator)
    func loss() -> Tensor { conv2(conv1(x).relu()).squared().mean() }
    let before = loss()
    before.backward()
    for parameter in conv1.parameters + conv2.parameters {
      let gradient = parameter.grad!.scalars
      parameter.withMutableScalars { values in
        for index in values.indices { values[index] -= 0.1 * gradient[index] }
      }
    }
    #expect(withoutGradients { loss() }.item < before.item)
  }

  @Test func wrongChannelCountFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let conv = Conv2D(3, 8, kernelSize: 3, using: &generator)
      _ = conv(Tensor.zeros([2, 1, 28, 28]))
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(
      text.contains(
        "error: Conv2D(3 -> 8, kernel 3, stride 1, padding 0): input of shape [2, 1, 28, 28]; expected [batch, 3, height, width] (NCHW)"
      ), "\(text)")
  }

  @Test func inputSmallerThanKernelFails() async {
    let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
      var generator = SeededGenerator(seed: 1)
      let conv = Conv2D(1, 2, kernelSize: 5, using: &generator)
      _ = conv(Tensor.zeros([1, 1, 3, 3]))
    }
    let text = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
    #expect(text.contains("is smaller than the kernel"), "\(text)")
  }
}
