import Tensors
import Testing

/// Element-wise ops against hand-computed values.
@Suite struct ElementwiseValueTests {
  @Test func basicFunctions() {
    let x = Tensor([-2, -0.5, 0, 0.5, 2])
    expectTensor(-x, shape: [5], [2, 0.5, 0, -0.5, -2])
    expectTensor(x.abs(), shape: [5], [2, 0.5, 0, 0.5, 2])
    expectTensor(x.relu(), shape: [5], [0, 0, 0, 0.5, 2])
    expectTensor(x.leakyRelu(slope: 0.1), shape: [5], [-0.2, -0.05, 0, 0.5, 2])
    expectTensor(x.clamp(min: -1, max: 1), shape: [5], [-1, -0.5, 0, 0.5, 1])
    expectTensor(x.squared(), shape: [5], [4, 0.25, 0, 0.25, 4])
    expectTensor(x.sigmoid(), shape: [5], [0.119_202_92, 0.377_540_67, 0.5, 0.622_459_3, 0.880_797_1])
    expectTensor(x.tanh(), shape: [5], [-0.964_027_6, -0.462_117_16, 0, 0.462_117_16, 0.964_027_6])
    expectTensor(x.exp(), shape: [5], [0.135_335_28, 0.606_530_66, 1, 1.648_721_3, 7.389_056])
    expectTensor(
      x.softplus(), shape: [5], [0.126_928_01, 0.474_076_97, 0.693_147_2, 0.974_076_97, 2.126_928])
  }

  @Test func positiveDomainFunctions() {
    let x = Tensor([0.25, 1, 4])
    expectTensor(x.sqrt(), shape: [3], [0.5, 1, 2])
    expectTensor(x.log(), shape: [3], [-1.386_294_4, 0, 1.386_294_4])
    expectTensor(x.pow(0.5), shape: [3], [0.5, 1, 2])
    expectTensor(x.pow(-1), shape: [3], [4, 1, 0.25])
    expectTensor(x.pow(3), shape: [3], [0.015_625, 1, 64])
  }

  @Test func scalarArithmetic() {
    let x = Tensor([1, 2, 4])
    expectTensor(x + 1, shape: [3], [2, 3, 5])
    expectTensor(1 + x, shape: [3], [2, 3, 5])
    expectTensor(x - 1, shape: [3], [0, 1, 3])
    expectTensor(1 - x, shape: [3], [0, -1, -3])
    expectTensor(x * 3, shape: [3], [3, 6, 12])
    expectTensor(3 * x, shape: [3], [3, 6, 12])
    expectTensor(x / 2, shape: [3], [0.5, 1, 2])
    expectTensor(2 / x, shape: [3], [2, 1, 0.5])
  }

  @Test func saturatingFunctionsStayFinite() {
    let x = Tensor([-100, -30, 30, 100])
    let s = x.sigmoid()
    #expect(s.scalars.allSatisfy { $0.isFinite })
    expectClose(s.scalars, [0, 0, 1, 1], tolerance: 1e-6)
    let p = x.softplus()
    #expect(p.scalars.allSatisfy { $0.isFinite })
    expectClose(p.scalars, [0, 9.357_623e-14, 30, 100], tolerance: 1e-6)
    #expect(x.tanh().scalars == [-1, -1, 1, 1])
  }

  @Test func kinkDerivatives() {
    // Documented conventions at kinks: relu, abs and clamp give 0, leakyRelu the slope.
    let x = Tensor([0, 1], requiresGrad: true)
    x.relu().sum().backward()
    #expect(x.grad?.scalars == [0, 1])
    x.zeroGrad()
    x.abs().sum().backward()
    #expect(x.grad?.scalars == [0, 1])
    x.zeroGrad()
    x.clamp(min: 0, max: 1).sum().backward()
    #expect(x.grad?.scalars == [0, 0])
    x.zeroGrad()
    x.leakyRelu(slope: 0.25).sum().backward()
    #expect(x.grad?.scalars == [0.25, 1])
  }

  /// relu has its own kernel (AVX-512 where available); it must give leakyRelu(slope: 0)'s exact
  /// bits: -0 for negative inputs, NaN for NaN and -infinity, and the same gradients, written or added.
  @Test(arguments: [1, 15, 16, 17, 100, 1027])
  func reluIsBitForBitLeakyReluWithSlopeZero(count: Int) {
    var generator = SeededGenerator(seed: UInt64(count))
    var values = Tensor.normal([count], using: &generator).scalars
    let specials: [Float] = [0, -0.0, .nan, .infinity, -.infinity, -1e-30, 1e-30]
    for (index, special) in specials.enumerated() where index < count { values[(index * 7) % count] = special }
    let gradients = Tensor.normal([count], using: &generator)
    func run(_ f: (Tensor) -> Tensor) -> (values: [UInt32], gradient: [UInt32]) {
      let x = Tensor(shape: [count], scalars: values, requiresGrad: true)
      let y = f(x)
      // Used twice: the second backward contribution adds onto the first.
      ((y * gradients).sum() + (f(x) * gradients).sum()).backward()
      return (y.scalars.map(\.bitPattern), x.grad!.scalars.map(\.bitPattern))
    }
    let kernel = run { $0.relu() }
    let reference = run { $0.leakyRelu(slope: 0) }
    #expect(kernel.values == reference.values)
    #expect(kernel.gradient == reference.gradient)
  }
}
