import CConvolutionKernels

extension Tensor {
  /// max(x, 0), computed as x if x > 0 else 0 * x (so -0 for negative x); d/dx = 1 where x > 0, else 0.
  ///
  /// The same values as `leakyRelu(slope: 0)`, through a kernel that uses AVX-512 where the processor
  /// has it: convolutional networks apply it to their largest activations.
  public func relu() -> Tensor {
    let n = count
    // Small tensors take the element-wise path, which records no graph without gradients and keeps
    // short results off the heap: there the kernel call would cost more than the work.
    if n < 1024 { return mapElements("relu", LeakyRectifier(slope: 0)) }
    let output = [Float](unsafeUninitializedCapacity: n) { y, initialized in
      scalars.withUnsafeBufferPointer { x in
        if n > 0 { convolution_relu(x.baseAddress!, y.baseAddress!, n) }
      }
      initialized = n
    }
    return Tensor(shape: shape, scalars: output, operation: "relu", parents: [self]) { result in
      let input = result.parents[0]
      result.gradientStorage!.withUnsafeBufferPointer { g in
        input.scalars.withUnsafeBufferPointer { x in
          input.writeOrAccumulateGradient { dx, accumulate in
            if n > 0 { convolution_relu_backward(g.baseAddress!, x.baseAddress!, dx, n, accumulate ? 1 : 0) }
          }
        }
      }
    }
  }
}
