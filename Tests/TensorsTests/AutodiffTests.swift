import Tensors
import Testing

/// Behaviour of the tape: accumulation, sharing, detaching, no-grad mode, seeds and depth.
@Suite struct AutodiffTests {
  @Test func gradientsAccumulateOverBackwardCallsUntilZeroGrad() {
    let x = Tensor([1, 2, 3], requiresGrad: true)
    (x * 2).sum().backward()
    #expect(x.grad?.scalars == [2, 2, 2])
    (x * 3).sum().backward()
    #expect(x.grad?.scalars == [5, 5, 5])
    x.zeroGrad()
    #expect(x.grad == nil)
    (x * 4).sum().backward()
    #expect(x.grad?.scalars == [4, 4, 4])
  }

  @Test func sameGraphTwiceAccumulates() {
    let x = Tensor([1, 2], requiresGrad: true)
    let loss = (x.exp() * 2).sum()
    loss.backward()
    loss.backward()
    expectClose(x.grad!.scalars, [4 * 2.718_281_8, 4 * 7.389_056], tolerance: 1e-4)
  }

  @Test
  func tensorUsedTwiceInOneOpGetsBothPaths() {
    let x = Tensor([1, -2, 3], requiresGrad: true)
    (x * x).sum().backward()
    #expect(x.grad?.scalars == [2, -4, 6])
  }

  @Test func tensorUsedTwiceThroughACopyGetsBothPaths() {
    // The same product as x * x, with the operands being distinct tensors.
    let x = Tensor([1, -2, 3], requiresGrad: true)
    ((x + 0) * x).sum().backward()
    #expect(x.grad?.scalars == [2, -4, 6])
  }

  @Test func tensorUsedOnTwoPathsGetsTheSum() {
    let x = Tensor([1, 2, 3], requiresGrad: true)
    let y = x * 2
    (y.exp().log() + y * 3 + x).sum().backward()
    // d/dx (2x + 6x + x) = 9
    expectClose(x.grad!.scalars, [9, 9, 9], tolerance: 1e-5)
  }

  @Test func withoutGradientsRecordsNothing() {
    let x = Tensor([1, 2, 3], requiresGrad: true)
    let y = withoutGradients { (x * 2).exp().sum() }
    #expect(!y.requiresGrad)
    #expect(y.isLeaf)
    let z = withoutGradients { x.reshaped([1, 3]).matmul(Tensor.ones([3, 1])) }
    #expect(!z.requiresGrad)
    #expect(GradientMode.isEnabled)
    withoutGradients { #expect(!GradientMode.isEnabled) }
    // Outside, recording resumes.
    #expect((x * 2).requiresGrad)
  }

  @Test func resultsRequireGradOnlyWhenAnOperandDoes() {
    let a = Tensor([1, 2])
    let b = Tensor([3, 4], requiresGrad: true)
    #expect(!(a * 2).requiresGrad)
    #expect((a * b).requiresGrad)
    #expect(!(a * b).isLeaf)
    #expect((a * b).operation == "multiply")
  }

  @Test func detachedBlocksTheGradient() {
    let x = Tensor([1, 2, 3], requiresGrad: true)
    let d = x.detached()
    #expect(!d.requiresGrad && d.isLeaf && d.scalars == x.scalars)
    (x * d).sum().backward()
    // Only the non-detached path: d/dx (x * c) = c.
    #expect(x.grad?.scalars == [1, 2, 3])
    #expect(d.grad == nil)
  }

  @Test func intermediateTensorsDoNotKeepGradients() {
    let x = Tensor([1, 2, 3], requiresGrad: true)
    let hidden = x * 2
    let output = hidden.tanh().sum()
    output.backward()
    #expect(hidden.grad == nil)
    #expect(output.grad == nil)
    #expect(x.grad != nil)
  }

  @Test func leafOutputKeepsItsSeed() {
    let x = Tensor(3, requiresGrad: true)
    x.backward()
    #expect(x.grad?.scalars == [1])
  }

  @Test func backwardWithExplicitSeed() {
    let x = Tensor([1, 2, 3], requiresGrad: true)
    let y = x.squared()
    y.backward(Tensor([1, 0.5, -1]))
    #expect(x.grad?.scalars == [2, 2, -6])
    let m = Tensor(rows: [[1, 2], [3, 4]], requiresGrad: true)
    (m * 3).backward(Tensor(rows: [[1, 0], [0, 2]]))
    #expect(m.grad?.scalars == [3, 0, 0, 6])
  }

  @Test func gradSetterAndMutableGradient() {
    let x = Tensor([1, 2], requiresGrad: true)
    x.grad = Tensor([5, 6])
    (x * 1).sum().backward()
    #expect(x.grad?.scalars == [6, 7])
    x.withMutableGradient { gradient in for index in gradient.indices { gradient[index] *= 2 } }
    #expect(x.grad?.scalars == [12, 14])
    x.grad = nil
    #expect(x.withGradient { $0.count } == nil)
  }

  @Test func deepChainBackpropagatesWithoutStackOverflow() {
    let x = Tensor([1, 2], requiresGrad: true)
    var y = x
    for _ in 0..<10_000 { y = y * 1.0001 }
    y.sum().backward()
    let expected = Float(integerPower(Double(Float(1.0001)), 10_000))
    expectClose(x.grad!.scalars, [expected, expected], tolerance: 1e-2)
  }

  @Test func deepChainOfBinaryOpsBackpropagates() {
    let x = Tensor([0.5], requiresGrad: true)
    let one = Tensor([1])
    var y = x
    for _ in 0..<10_000 { y = y + one * 0 + x * 0 }
    y.sum().backward()
    // dy/dx = 1 along the chain, plus 0 from each "x * 0" side branch.
    #expect(x.grad?.scalars == [1])
  }
}

/// 1.0001^10000 by repeated squaring in Double (no Foundation needed).
private func integerPower(_ base: Double, _ exponent: Int) -> Double {
  var result = 1.0
  var power = base
  var remaining = exponent
  while remaining > 0 {
    if remaining & 1 == 1 { result *= power }
    power *= power
    remaining >>= 1
  }
  return result
}
