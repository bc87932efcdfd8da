import CConvolutionKernels

extension Tensor {
  /// 2-D max pooling of NCHW images (PyTorch's `max_pool2d`):
  ///   y[n, c, oy, ox] = max over i, j < k of x[n, c, oy * s - p + i, ox * s - p + j]
  /// where positions outside the image (padding p) never win. Output size floor((H + 2p - k) / s) + 1
  /// by floor((W + 2p - k) / s) + 1.
  ///
  /// - Parameters:
  ///   - kernelSize: k, the side of the square window.
  ///   - stride: s, defaults to k (non-overlapping windows).
  ///   - padding: p, at most k / 2 as in PyTorch.
  /// - Returns: [N, C, OH, OW]
  ///
  /// Backward: each output's gradient goes to the element that was the maximum of its window
  /// (the first one in row-major order on ties).
  public func maxPool2d(kernelSize: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    let stride = stride ?? kernelSize
    let description = "maxPool2d: input \(shape), kernel \(kernelSize), stride \(stride), padding \(padding)"
    if rank != 4 { tensorFailure("\(description): input must be [batch, channels, height, width] (NCHW)") }
    if kernelSize < 1 || stride < 1 { tensorFailure("\(description): kernel and stride must be at least 1") }
    if padding < 0 || padding > kernelSize / 2 {
      tensorFailure("\(description): padding must lie in 0...\(kernelSize / 2) (half the kernel)")
    }
    let (height, width) = (shape[2], shape[3])
    if height + 2 * padding < kernelSize || width + 2 * padding < kernelSize {
      tensorFailure("\(description): the window is larger than the padded input")
    }
    let planes = shape[0] * shape[1]
    let outputHeight = (height + 2 * padding - kernelSize) / stride + 1
    let outputWidth = (width + 2 * padding - kernelSize) / stride + 1
    let inputPlane = height * width
    let outputPlane = outputHeight * outputWidth
    // For every output, the offset of the winning element within its input plane (both arrays are
    // filled completely below).
    var winners = [Int32](unsafeUninitializedCapacity: planes * outputPlane) { $1 = planes * outputPlane }
    var output = [Float](unsafeUninitializedCapacity: planes * outputPlane) { $1 = planes * outputPlane }
    // The common 2x2 window with stride 2 and no padding has its own kernel (AVX-512 where the
    // processor has it, the same comparisons either way); a window whose sum is NaN (a NaN, or
    // infinities of both signs) sends the whole tensor through the general loop, which gives every
    // other window the same result.
    let halved =
      kernelSize == 2 && stride == 2 && padding == 0
      && withScalars { x in
        output.withUnsafeMutableBufferPointer { y in
          winners.withUnsafeMutableBufferPointer { winner in
            convolution_max_pool_2x2(
              x.baseAddress!, y.baseAddress!, winner.baseAddress!, planes, height, width, outputHeight, outputWidth)
              != 0
          }
        }
      }
    if !halved {
      withScalars { x in
        output.withUnsafeMutableBufferPointer { y in
          winners.withUnsafeMutableBufferPointer { winner in
            for plane in 0..<planes {
              let source = x.baseAddress! + plane * inputPlane
              let base = plane * outputPlane
              for oy in 0..<outputHeight {
                let top = oy * stride - padding
                let rowStart = Swift.max(top, 0)
                let rowEnd = Swift.min(top + kernelSize, height)
                for ox in 0..<outputWidth {
                  let left = ox * stride - padding
                  let columnStart = Swift.max(left, 0)
                  let columnEnd = Swift.min(left + kernelSize, width)
                  var best = -Float.infinity
                  var bestOffset = rowStart * width + columnStart
                  var sawNaN = false
                  var row = rowStart
                  while row < rowEnd {
                    var offset = row * width + columnStart
                    let end = row * width + columnEnd
                    while offset < end {
                      let value = source[offset]
                      // Strictly greater: the first maximum wins ties. Selects rather than branches:
                      // the maxima of real data defeat branch prediction.
                      let better = value > best
                      best = better ? value : best
                      bestOffset = better ? offset : bestOffset
                      sawNaN = value != value ? true : sawNaN
                      offset += 1
                    }
                    row += 1
                  }
                  if sawNaN {
                    // A NaN wins, as in PyTorch: the window's first NaN.
                    best = .nan
                    search: for row in rowStart..<rowEnd {
                      for column in columnStart..<columnEnd where source[row * width + column].isNaN {
                        bestOffset = row * width + column
                        break search
                      }
                    }
                  }
                  y[base + oy * outputWidth + ox] = best
                  winner[base + oy * outputWidth + ox] = Int32(truncatingIfNeeded: bestOffset)
                }
              }
            }
          }
        }
      }
    }
    let outputShape = [shape[0], shape[1], outputHeight, outputWidth]
    return Tensor(shape: outputShape, scalars: output, operation: "maxPool2d", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        winners.withUnsafeBufferPointer { winner in
          input.writeOrAccumulateGradient { dx, accumulate in
            if halved && !accumulate {
              // Windows that do not overlap: every element is written once, 0 + g or 0, no zero fill first.
              convolution_max_pool_2x2_backward_write(
                g.baseAddress!, winner.baseAddress!, dx, planes, height, width, outputHeight, outputWidth)
              return
            }
            if !accumulate { dx.initialize(repeating: 0, count: planes * inputPlane) }
            for plane in 0..<planes {
              let target = dx + plane * inputPlane
              let base = plane * outputPlane
              for index in 0..<outputPlane { target[Int(winner[base + index])] += g[base + index] }
            }
          }
        }
      }
    }
  }
}
