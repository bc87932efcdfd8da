import CConvolutionKernels

/// The geometry of a 2-D convolution over one [C, H, W] image, and its im2col / col2im.
struct Convolution2DGeometry {
  let channels: Int
  let height: Int
  let width: Int
  let kernelHeight: Int
  let kernelWidth: Int
  let stride: Int
  let padding: Int

  /// floor((H + 2p - k) / s) + 1
  var outputHeight: Int { (height + 2 * padding - kernelHeight) / stride + 1 }
  /// floor((W + 2p - k) / s) + 1
  var outputWidth: Int { (width + 2 * padding - kernelWidth) / stride + 1 }
  /// Output positions per channel.
  var outputPlane: Int { outputHeight * outputWidth }
  /// Rows of the im2col matrix: C * kh * kw.
  var patchSize: Int { channels * kernelHeight * kernelWidth }

  /// The output columns ox whose input column ox * s - p + offset lies inside 0..<W.
  @inline(__always)
  func validColumns(kernelOffset: Int) -> Range<Int> {
    let shift = padding - kernelOffset
    let first = shift <= 0 ? 0 : (shift + stride - 1) / stride
    let limit = width - 1 + shift
    let last = limit < 0 ? 0 : Swift.min(outputWidth, limit / stride + 1)
    return first..<Swift.max(first, last)
  }

  /// Copies one image [C, H, W] into its patch matrix [C * kh * kw, OH * OW] (zeros for padding):
  /// row (c, i, j), column (oy, ox) holds x[c, oy * s - p + i, ox * s - p + j].
  func imageToColumns(_ image: UnsafePointer<Float>, _ columns: UnsafeMutablePointer<Float>) {
    let (outputHeight, outputWidth, plane) = (self.outputHeight, self.outputWidth, outputPlane)
    if stride == 1 && outputWidth == width {
      // "Same" width: row (c, i, j) is the channel shifted by a constant, copied as one block.
      for c in 0..<channels {
        let channel = image + c * height * width
        for i in 0..<kernelHeight {
          for j in 0..<kernelWidth {
            let row = columns + ((c * kernelHeight + i) * kernelWidth + j) * plane
            shiftedCopy(channel, into: row, rowOffset: i, columnOffset: j)
          }
        }
      }
      return
    }
    for c in 0..<channels {
      let channel = image + c * height * width
      for i in 0..<kernelHeight {
        for j in 0..<kernelWidth {
          let row = columns + ((c * kernelHeight + i) * kernelWidth + j) * plane
          let valid = validColumns(kernelOffset: j)
          for oy in 0..<outputHeight {
            let target = row + oy * outputWidth
            let y = oy * stride - padding + i
            if y < 0 || y >= height {
              target.initialize(repeating: 0, count: outputWidth)
              continue
            }
            if valid.lowerBound > 0 { target.initialize(repeating: 0, count: valid.lowerBound) }
            if valid.upperBound < outputWidth {
              (target + valid.upperBound).initialize(repeating: 0, count: outputWidth - valid.upperBound)
            }
            let source = channel + y * width - padding + j
            if stride == 1 {
              (target + valid.lowerBound).update(from: source + valid.lowerBound, count: valid.count)
            } else {
              for ox in valid { target[ox] = source[ox * stride] }
            }
          }
        }
      }
    }
  }

  /// One patch-matrix row for stride 1 and output width = input width: row[oy * W + ox] =
  /// channel[(oy - p + i) * W + (ox - p + j)], a constant shift of the flat index, so the valid
  /// rows move in one block copy; the few columns that wrapped around the image edge are zeroed after.
  @inline(__always)
  private func shiftedCopy(
    _ channel: UnsafePointer<Float>, into row: UnsafeMutablePointer<Float>, rowOffset i: Int, columnOffset j: Int
  ) {
    let plane = outputPlane
    let firstRow = Swift.max(0, padding - i)
    let endRow = Swift.min(outputHeight, height + padding - i)
    if endRow <= firstRow {
      row.initialize(repeating: 0, count: plane)
      return
    }
    let shift = (i - padding) * width + (j - padding)
    let start = firstRow * width
    let end = endRow * width
    // Clipped to the channel's own elements (the block's first and last entries may lie outside it).
    let low = Swift.max(start, -shift)
    let high = Swift.max(low, Swift.min(end, height * width - shift))
    row.initialize(repeating: 0, count: low)
    (row + low).update(from: channel + low + shift, count: high - low)
    (row + high).initialize(repeating: 0, count: plane - high)
    zeroWrappedColumns(of: row, from: start, to: end, columnOffset: j)
  }

  /// Zeroes the entries of one patch-matrix row (stride 1, output width = input width) whose input
  /// column x = ox - p + j lies outside 0..<W: read through a constant shift, they would belong to a
  /// neighbouring image row.
  @inline(__always)
  private func zeroWrappedColumns(
    of row: UnsafeMutablePointer<Float>, from start: Int, to end: Int, columnOffset j: Int
  ) {
    let valid = validColumns(kernelOffset: j)
    // Column by column (strided stores): a handful of elements, and no memset call per row.
    var ox = 0
    while ox < width {
      if ox == valid.lowerBound { ox = Swift.max(valid.upperBound, ox) }
      if ox >= width { break }
      var index = start + ox
      while index < end {
        row[index] = 0
        index += width
      }
      ox += 1
    }
  }

  /// The adjoint of `shiftedCopy`: the row's entries that were copied from the image are added back
  /// at the same constant shift, in one contiguous loop; the wrapped columns, which were zeros in the
  /// copy, are zeroed first (the row is scratch), so they add nothing.
  @inline(__always)
  private func shiftedAdd(
    _ row: UnsafeMutablePointer<Float>, onto channel: UnsafeMutablePointer<Float>, rowOffset i: Int, columnOffset j: Int
  ) {
    let firstRow = Swift.max(0, padding - i)
    let endRow = Swift.min(outputHeight, height + padding - i)
    if endRow <= firstRow { return }
    let shift = (i - padding) * width + (j - padding)
    let start = firstRow * width
    let end = endRow * width
    let low = Swift.max(start, -shift)
    let high = Swift.max(low, Swift.min(end, height * width - shift))
    zeroWrappedColumns(of: row, from: start, to: end, columnOffset: j)
    let target = channel + shift
    for index in low..<high { target[index] += row[index] }
  }

  /// The adjoint of `imageToColumns`: adds every patch-matrix entry back onto the image element it
  /// was copied from (padding entries are dropped). `columns` is scratch: the "same"-width path
  /// zeroes its padding entries before adding whole rows.
  func addColumnsToImage(_ columns: UnsafeMutablePointer<Float>, _ image: UnsafeMutablePointer<Float>) {
    let (outputHeight, outputWidth, plane) = (self.outputHeight, self.outputWidth, outputPlane)
    if stride == 1 && outputWidth == width {
      // Each image element receives its additions in the same (c, i, j) order as below: same sums.
      for c in 0..<channels {
        let channel = image + c * height * width
        for i in 0..<kernelHeight {
          for j in 0..<kernelWidth {
            let row = columns + ((c * kernelHeight + i) * kernelWidth + j) * plane
            shiftedAdd(row, onto: channel, rowOffset: i, columnOffset: j)
          }
        }
      }
      return
    }
    for c in 0..<channels {
      let channel = image + c * height * width
      for i in 0..<kernelHeight {
        for j in 0..<kernelWidth {
          let row = columns + ((c * kernelHeight + i) * kernelWidth + j) * plane
          let valid = validColumns(kernelOffset: j)
          for oy in 0..<outputHeight {
            let y = oy * stride - padding + i
            if y < 0 || y >= height { continue }
            let source = row + oy * outputWidth
            let target = channel + y * width - padding + j
            if stride == 1 {
              for ox in valid { target[ox] += source[ox] }
            } else {
              for ox in valid { target[ox * stride] += source[ox] }
            }
          }
        }
      }
    }
  }
}

extension Tensor {
  /// 2-D convolution (cross-correlation, as PyTorch's `conv2d`) of NCHW images:
  ///   y[n, o, oy, ox] = b[o] + sum over c, i, j of w[o, c, i, j] * x[n, c, oy * s - p + i, ox * s - p + j]
  /// with zeros outside the image (padding p), stride s, and output size
  /// floor((H + 2p - kh) / s) + 1 by floor((W + 2p - kw) / s) + 1.
  ///
  /// - Parameters:
  ///   - input: [N, C, H, W]
  ///   - weight: [O, C, kh, kw]
  ///   - bias: [O] or nil
  /// - Returns: [N, O, OH, OW]
  ///
  /// Each image is unfolded into its patch matrix (im2col, [C*kh*kw, OH*OW]) and multiplied by the
  /// weight as a [O, C*kh*kw] matrix in one sgemm. Backward, per image: dW += dY cols^T (computed
  /// as its transpose, a faster sgemm shape), dcols = W^T dY folded back onto dx (col2im), and
  /// db += the sums of dY over positions.
  public static func conv2d(
    _ input: Tensor, weight: Tensor, bias: Tensor?, stride: Int = 1, padding: Int = 0
  ) -> Tensor {
    let description = "conv2d: input \(input.shape), weight \(weight.shape)"
    if weight.rank != 4 || weight.shape.contains(0) {
      tensorFailure("\(description): weight must be [outChannels, inChannels, kernelHeight, kernelWidth]")
    }
    if input.rank != 4 {
      tensorFailure("\(description): input must be [batch, channels, height, width] (NCHW)")
    }
    if input.shape[1] != weight.shape[1] {
      tensorFailure("\(description): input has \(input.shape[1]) channels but the weight expects \(weight.shape[1])")
    }
    if stride < 1 || padding < 0 {
      tensorFailure("\(description): stride \(stride) must be at least 1 and padding \(padding) non-negative")
    }
    let outChannels = weight.shape[0]
    if let bias, bias.shape != [outChannels] {
      tensorFailure("\(description): bias of shape \(bias.shape); expected [\(outChannels)]")
    }
    let window = Convolution2DGeometry(
      channels: input.shape[1], height: input.shape[2], width: input.shape[3],
      kernelHeight: weight.shape[2], kernelWidth: weight.shape[3], stride: stride, padding: padding)
    if input.shape[2] + 2 * padding < window.kernelHeight || input.shape[3] + 2 * padding < window.kernelWidth {
      tensorFailure(
        "\(description): kernel \(window.kernelHeight)x\(window.kernelWidth) is larger than the padded input \(input.shape[2] + 2 * padding)x\(input.shape[3] + 2 * padding)"
      )
    }
    let batch = input.shape[0]
    let plane = window.outputPlane
    let patch = window.patchSize
    let imageSize = window.channels * window.height * window.width
    // A 1x1 kernel with stride 1 and no padding reads the image itself as its patch matrix.
    let isPointwise = patch == window.channels && stride == 1 && padding == 0

    // One input channel and a 3x3 kernel (a network's first layer): a direct kernel computes the
    // sgemm's own chain of nine multiply-adds per output (the same bits) from the image, without
    // the patch matrix, where the processor has AVX-512. Not for one output channel or position,
    // whose product `sgemm` hands to sgemv (other bits).
    let isSingleChannel3x3 =
      window.channels == 1 && window.kernelHeight == 3 && window.kernelWidth == 3 && stride == 1
      && outChannels > 1 && plane > 1 && convolution_kernels_use_avx512() != 0

    // Every element is written: the bias first (then sgemm with beta 1) or by sgemm with beta 0.
    let output = [Float](unsafeUninitializedCapacity: batch * outChannels * plane) { y, initialized in
      if isSingleChannel3x3 {
        input.withScalars { x in
          weight.withScalars { w in
            func run(_ b: UnsafePointer<Float>?) {
              for n in 0..<batch {
                _ = convolution_single_channel_3x3(
                  x.baseAddress! + n * imageSize, window.height, window.width, padding, w.baseAddress!, b,
                  outChannels, y.baseAddress! + n * outChannels * plane)
              }
            }
            if let bias { bias.withScalars { run($0.baseAddress!) } } else { run(nil) }
          }
        }
        initialized = batch * outChannels * plane
        return
      }
      if let bias {
        bias.withScalars { b in
          for n in 0..<batch {
            for o in 0..<outChannels {
              (y.baseAddress! + (n * outChannels + o) * plane).initialize(repeating: b[o], count: plane)
            }
          }
        }
      }
      let columns = UnsafeMutablePointer<Float>.allocate(capacity: isPointwise ? 0 : patch * plane)
      defer { columns.deallocate() }
      input.withScalars { x in
        weight.withScalars { w in
          for n in 0..<batch {
            let image = x.baseAddress! + n * imageSize
            if !isPointwise { window.imageToColumns(image, columns) }
            sgemm(
              transposeA: false, transposeB: false, m: outChannels, n: plane, k: patch,
              a: w.baseAddress!, b: isPointwise ? image : UnsafePointer(columns), beta: bias == nil ? 0 : 1,
              c: y.baseAddress! + n * outChannels * plane)
          }
        }
      }
      initialized = batch * outChannels * plane
    }
    let outputShape = [batch, outChannels, window.outputHeight, window.outputWidth]
    let parents = bias.map { [input, weight, $0] } ?? [input, weight]
    return Tensor(shape: outputShape, scalars: output, operation: "conv2d", parents: parents) { result in
      let input = result.parents[0]
      let weight = result.parents[1]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        if result.parents.count == 3, result.parents[2].requiresGrad {
          result.parents[2].accumulateGradient { db in
            // Each (image, channel) row summed left to right, several rows at once (one row's
            // additions form a chain that would leave the adder waiting), then added image by image.
            let totals = UnsafeMutablePointer<Float>.allocate(capacity: batch * outChannels)
            defer { totals.deallocate() }
            if batch > 0 { convolution_row_sums(g.baseAddress!, batch * outChannels, plane, totals) }
            for n in 0..<batch {
              for o in 0..<outChannels { db[o] += totals[n * outChannels + o] }
            }
          }
        }
        let columns = UnsafeMutablePointer<Float>.allocate(capacity: isPointwise ? 0 : patch * plane)
        defer { columns.deallocate() }
        if weight.requiresGrad {
          // dW^T [C*kh*kw, O] += cols_n dY_n^T, summed over images, then added to dW transposed:
          // OpenBLAS runs this shape markedly faster than dW += dY_n cols_n^T.
          let transposedGradient = UnsafeMutablePointer<Float>.allocate(capacity: patch * outChannels)
          defer { transposedGradient.deallocate() }
          input.withScalars { x in
            for n in 0..<batch {
              let image = x.baseAddress! + n * imageSize
              if !isPointwise { window.imageToColumns(image, columns) }
              sgemm(
                transposeA: false, transposeB: true, m: patch, n: outChannels, k: plane,
                a: isPointwise ? image : UnsafePointer(columns), b: g.baseAddress! + n * outChannels * plane,
                beta: n == 0 ? 0 : 1, c: transposedGradient)
            }
          }
          weight.accumulateGradient { dw in
            for o in 0..<outChannels {
              for p in 0..<patch { dw[o * patch + p] += transposedGradient[p * outChannels + o] }
            }
          }
        }
        if input.requiresGrad {
          weight.withScalars { w in
            input.accumulateGradient { dx in
              for n in 0..<batch {
                // dcols = W^T dY_n, folded back onto the image.
                let gradientImage = dx + n * imageSize
                sgemm(
                  transposeA: true, transposeB: false, m: patch, n: plane, k: outChannels,
                  a: w.baseAddress!, b: g.baseAddress! + n * outChannels * plane,
                  beta: isPointwise ? 1 : 0, c: isPointwise ? gradientImage : columns)
                if !isPointwise { window.addColumnsToImage(columns, gradientImage) }
              }
            }
          }
        }
      }
    }
  }
}
