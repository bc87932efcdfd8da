import Tensors
import Testing

/// The four broadcasting arithmetic operators.
enum ArithmeticOperator: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case add, subtract, multiply, divide

  func apply(_ a: Tensor, _ b: Tensor) -> Tensor {
    switch self {
    case .add: a + b
    case .subtract: a - b
    case .multiply: a * b
    case .divide: a / b
    }
  }

  var testDescription: String { rawValue }
}

/// Two operand shapes that broadcast together.
struct BroadcastLayout: Sendable, CustomTestStringConvertible {
  let left: [Int]
  let right: [Int]

  var testDescription: String { "\(left) op \(right)" }

  static let all: [BroadcastLayout] = [
    .init(left: [3, 4], right: [3, 4]),  // same shape
    .init(left: [3, 4], right: [4]),  // row vector (bias add)
    .init(left: [4], right: [3, 4]),  // row vector, operands reversed
    .init(left: [3, 1], right: [1, 4]),  // outer product shape
    .init(left: [1, 4], right: [3, 1]),
    .init(left: [], right: [3, 4]),  // scalar tensor op matrix
    .init(left: [3, 4], right: []),
    .init(left: [3, 4], right: [1]),
    .init(left: [2, 3, 4], right: [3, 1]),  // 3-D cases
    .init(left: [3, 1], right: [2, 3, 4]),
    .init(left: [2, 1, 4], right: [2, 3, 1]),
    .init(left: [2, 3, 4], right: [1, 1, 4]),
    .init(left: [4], right: [2, 3, 4]),
    .init(left: [2, 3, 4], right: [2, 1, 4]),
  ]
}

@Suite struct GradientCheckBroadcastingTests {
  @Test(arguments: ArithmeticOperator.allCases, BroadcastLayout.all)
  func arithmetic(operation: ArithmeticOperator, layout: BroadcastLayout) {
    let a = uniformInput(layout.left, seed: 100)
    // Denominators keep away from 0.
    let b = awayFromZeroInput(layout.right, seed: 101, minimum: 0.5, maximum: 1.5)
    expectGradientsMatch([a, b]) { operation.apply($0[0], $0[1]) }
  }

  @Test(arguments: ArithmeticOperator.allCases)
  func arithmeticWithOneConstantOperand(operation: ArithmeticOperator) {
    // Only one operand records gradients: the other must not get one.
    let a = awayFromZeroInput([3, 4], seed: 102, minimum: 0.5, maximum: 1.5)
    let b = awayFromZeroInput([4], seed: 103, minimum: 0.5, maximum: 1.5, requiresGrad: false)
    expectGradientsMatch([a]) { operation.apply($0[0], b) }
    expectGradientsMatch([a]) { operation.apply(b.reshaped([1, 4]), $0[0]) }
    #expect(b.grad == nil)
  }

  @Test
  func sameTensorOnBothSides() {
    let x = uniformInput([3, 4], seed: 104, low: 0.5, high: 1.5)
    expectGradientsMatch([x]) { $0[0] * $0[0] }
    expectGradientsMatch([x]) { $0[0] + $0[0] }
    expectGradientsMatch([x]) { $0[0] - $0[0] }
    expectGradientsMatch([x]) { Tensor.maximum($0[0], $0[0]) }
  }

  @Test func sameTensorOnBothSidesThroughAnOp() {
    let x = uniformInput([3, 4], seed: 104, low: 0.5, high: 1.5)
    expectGradientsMatch([x]) { ($0[0] + 0) * $0[0] }
    expectGradientsMatch([x]) { $0[0] / $0[0].exp() }
    expectGradientsMatch([x]) { $0[0].reshaped([12]).reshaped([3, 4]) - $0[0] * 2 }
  }

  @Test(arguments: [
    BroadcastLayout(left: [3, 4], right: [3, 4]),
    BroadcastLayout(left: [3, 4], right: [4]),
    BroadcastLayout(left: [3, 1], right: [1, 4]),
    BroadcastLayout(left: [], right: [2, 3, 4]),
  ])
  func maximumAndMinimum(layout: BroadcastLayout) {
    // Grids offset by 0.05: no ties between the operands.
    let a = gridInput(layout.left, seed: 105, offset: 0.03)
    let b = gridInput(layout.right, seed: 106, offset: 0.08)
    expectGradientsMatch([a, b]) { Tensor.maximum($0[0], $0[1]) }
    expectGradientsMatch([a, b]) { Tensor.minimum($0[0], $0[1]) }
  }

  @Test func selectWhereSameShape() {
    let condition = randomMask([3, 4], seed: 107)
    let a = uniformInput([3, 4], seed: 108)
    let b = uniformInput([3, 4], seed: 109)
    expectGradientsMatch([a, b]) { Tensor.select(where: condition, $0[0], $0[1]) }
  }

  @Test func selectWhereBroadcast() {
    let condition = randomMask([3, 1], seed: 110)
    let a = uniformInput([3, 4], seed: 111)
    let b = uniformInput([4], seed: 112)
    expectGradientsMatch([a, b]) { Tensor.select(where: condition, $0[0], $0[1]) }
    let rowCondition = randomMask([4], seed: 113)
    let c = uniformInput([2, 1, 4], seed: 114)
    let d = uniformInput([3, 1], seed: 115)
    expectGradientsMatch([c, d]) { Tensor.select(where: rowCondition, $0[0], $0[1]) }
  }

  @Test func maskedFill() {
    let x = uniformInput([3, 4], seed: 116)
    let mask = randomMask([3, 4], seed: 117)
    expectGradientsMatch([x]) { $0[0].maskedFill(mask, value: -5) }
    let rowMask = randomMask([4], seed: 118)
    expectGradientsMatch([x]) { $0[0].maskedFill(rowMask, value: 2) }
    let columnMask = randomMask([2, 3, 1], seed: 119)
    let y = uniformInput([2, 3, 4], seed: 120)
    expectGradientsMatch([y]) { $0[0].maskedFill(columnMask, value: 0) }
  }

  @Test func broadcastTo() {
    let x = uniformInput([3, 1], seed: 121)
    expectGradientsMatch([x]) { $0[0].broadcast(to: [2, 3, 4]) }
    let y = uniformInput([4], seed: 122)
    expectGradientsMatch([y]) { $0[0].broadcast(to: [3, 4]) }
    let s = uniformInput([], seed: 123)
    expectGradientsMatch([s]) { $0[0].broadcast(to: [2, 2]) }
  }
}
