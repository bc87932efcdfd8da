import Tensors
import Testing

/// SeededGenerator and the random initializers.
@Suite struct RandomTests {
  @Test func sameSeedSameSequence() {
    var a = SeededGenerator(seed: 42)
    var b = SeededGenerator(seed: 42)
    let first = (0..<100).map { _ in a.next() }
    let second = (0..<100).map { _ in b.next() }
    #expect(first == second)
    var c = SeededGenerator(seed: 42)
    var d = SeededGenerator(seed: 42)
    #expect(
      Tensor.normal([50], using: &c).scalars == Tensor.normal([50], using: &d).scalars)
  }

  @Test func differentSeedsDiffer() {
    var a = SeededGenerator(seed: 1)
    var b = SeededGenerator(seed: 2)
    let first = (0..<100).map { _ in a.next() }
    let second = (0..<100).map { _ in b.next() }
    #expect(first != second)
    #expect(zip(first, second).filter { $0 == $1 }.count == 0)
    var zero = SeededGenerator(seed: 0)
    #expect(zero.next() != zero.next())
  }

  @Test func uniformIsInUnitInterval() {
    var generator = SeededGenerator(seed: 3)
    var low: Float = 1
    var high: Float = 0
    var total = 0.0
    let n = 100_000
    for _ in 0..<n {
      let u = generator.nextUniform()
      low = Swift.min(low, u)
      high = Swift.max(high, u)
      total += Double(u)
    }
    #expect(low >= 0 && high < 1)
    #expect(low < 0.001 && high > 0.999)
    #expect(Swift.abs(total / Double(n) - 0.5) < 0.01)
    for _ in 0..<1000 {
      let v = generator.nextUniform(-3, -1)
      #expect(v >= -3 && v < -1)
    }
  }

  @Test func normalMomentsOver100kSamples() {
    var generator = SeededGenerator(seed: 4)
    let n = 100_000
    var sum = 0.0
    var sumOfSquares = 0.0
    var beyondTwoSigma = 0
    var allFinite = true
    for _ in 0..<n {
      let z = Double(generator.nextNormal())
      allFinite = allFinite && z.isFinite
      sum += z
      sumOfSquares += z * z
      if Swift.abs(z) > 2 { beyondTwoSigma += 1 }
    }
    #expect(allFinite)
    let mean = sum / Double(n)
    let standardDeviation = (sumOfSquares / Double(n) - mean * mean).squareRoot()
    #expect(Swift.abs(mean) < 0.02)
    #expect(Swift.abs(standardDeviation - 1) < 0.02)
    // P(|z| > 2) = 4.55%.
    #expect(Swift.abs(Double(beyondTwoSigma) / Double(n) - 0.0455) < 0.005)
  }

  @Test func normalTensorHonorsMeanAndDeviation() {
    var generator = SeededGenerator(seed: 5)
    let x = Tensor.normal([20_000], mean: 3, standardDeviation: 0.5, using: &generator)
    let mean = x.mean().item
    let deviation = ((x - mean).squared().mean().item).squareRoot()
    #expect(Swift.abs(mean - 3) < 0.02)
    #expect(Swift.abs(deviation - 0.5) < 0.02)
  }

  @Test func permutationIsAPermutation() {
    var generator = SeededGenerator(seed: 6)
    for count in [0, 1, 2, 10, 257] {
      let p = generator.permutation(count)
      #expect(p.count == count)
      #expect(p.sorted() == Array(0..<count))
    }
    // Not the identity (for 257 elements that has probability 1/257!).
    #expect(generator.permutation(257) != Array(0..<257))
  }

  @Test func nextIntStaysBelowTheBound() {
    var generator = SeededGenerator(seed: 7)
    var seen = Set<Int>()
    for _ in 0..<1000 {
      let value = generator.nextInt(below: 6)
      #expect(value >= 0 && value < 6)
      seen.insert(value)
    }
    #expect(seen == Set(0..<6))
  }

  @Test func kaimingUniformBounds() {
    var generator = SeededGenerator(seed: 8)
    let fanIn = 50
    let w = Tensor.kaimingUniform([100, fanIn], fanIn: fanIn, using: &generator, requiresGrad: true)
    #expect(w.shape == [100, 50] && w.requiresGrad)
    // Default gain sqrt(2): bound sqrt(6 / fanIn).
    let bound = (6 / Float(fanIn)).squareRoot()
    #expect(w.scalars.allSatisfy { $0 >= -bound && $0 < bound })
    #expect(w.scalars.max()! > 0.95 * bound && w.scalars.min()! < -0.95 * bound)
    // gain 1/sqrt(3): PyTorch's Linear default, bound 1/sqrt(fanIn).
    let linear = Tensor.kaimingUniform(
      [1000], fanIn: 16, gain: 1 / Float(3).squareRoot(), using: &generator)
    #expect(linear.scalars.allSatisfy { Swift.abs($0) <= 0.25 + 1e-6 })
    #expect(linear.scalars.map { Swift.abs($0) }.max()! > 0.24)
  }

  @Test func kaimingNormalAndXavierUniformScales() {
    var generator = SeededGenerator(seed: 9)
    let w = Tensor.kaimingNormal([20_000], fanIn: 8, using: &generator)
    let deviation = (w.squared().mean().item).squareRoot()
    #expect(Swift.abs(deviation - 0.5) < 0.02)  // sqrt(2 / 8)
    let x = Tensor.xavierUniform([10_000], fanIn: 10, fanOut: 14, using: &generator)
    #expect(x.scalars.allSatisfy { Swift.abs($0) <= 0.5 })  // sqrt(6 / 24)
    #expect(x.scalars.map { Swift.abs($0) }.max()! > 0.49)
  }
}
