import Tensors
import Testing

/// Results and shapes of broadcasting ops against hand-computed values.
@Suite struct BroadcastingValueTests {
  let matrix = Tensor(rows: [[1, 2, 3], [4, 5, 6]])

  @Test func matrixPlusRowVector() {
    expectTensor(matrix + Tensor([10, 20, 30]), shape: [2, 3], [11, 22, 33, 14, 25, 36])
    expectTensor(Tensor([10, 20, 30]) + matrix, shape: [2, 3], [11, 22, 33, 14, 25, 36])
    expectTensor(
      matrix - Tensor([1, 1, 1], shape: [1, 3]), shape: [2, 3], [0, 1, 2, 3, 4, 5])
  }

  @Test func columnTimesRow() {
    let column = Tensor([1, 2], shape: [2, 1])
    let row = Tensor([1, 2, 3], shape: [1, 3])
    expectTensor(column * row, shape: [2, 3], [1, 2, 3, 2, 4, 6])
    expectTensor(row - column, shape: [2, 3], [0, 1, 2, -1, 0, 1])
  }

  @Test func scalarTensorAndMatrix() {
    let two = Tensor(2)
    #expect(two.shape == [])
    expectTensor(two - matrix, shape: [2, 3], [1, 0, -1, -2, -3, -4])
    expectTensor(matrix / two, shape: [2, 3], [0.5, 1, 1.5, 2, 2.5, 3])
    expectTensor(matrix * Tensor([10]), shape: [2, 3], [10, 20, 30, 40, 50, 60])
  }

  @Test func threeDimensional() {
    let a = Tensor([1, 2, 3, 4], shape: [2, 1, 2])
    let b = Tensor([10, 20, 30], shape: [3, 1])
    expectTensor(
      a + b, shape: [2, 3, 2], [11, 12, 21, 22, 31, 32, 13, 14, 23, 24, 33, 34])
    expectTensor(
      b - a, shape: [2, 3, 2], [9, 8, 19, 18, 29, 28, 7, 6, 17, 16, 27, 26])
    let c = Tensor([1, 10], shape: [1, 1, 2])
    let d = Tensor((1...12).map { Float($0) }, shape: [2, 3, 2])
    expectTensor(d * c, shape: [2, 3, 2], [1, 20, 3, 40, 5, 60, 7, 80, 9, 100, 11, 120])
  }

  @Test func divisionBroadcast() {
    let numerators = Tensor([2, 4, 8])
    let denominators = Tensor([1, 2], shape: [2, 1])
    expectTensor(numerators / denominators, shape: [2, 3], [2, 4, 8, 1, 2, 4])
  }

  @Test func maximumAndMinimum() {
    let a = Tensor([1, 5, 3], shape: [1, 3])
    let b = Tensor([2, 4], shape: [2, 1])
    expectTensor(Tensor.maximum(a, b), shape: [2, 3], [2, 5, 3, 4, 5, 4])
    expectTensor(Tensor.minimum(a, b), shape: [2, 3], [1, 2, 2, 1, 4, 3])
  }

  @Test func maximumGradientGoesToFirstOperandOnTies() {
    let a = Tensor([1, 2, 3], requiresGrad: true)
    let b = Tensor([1, 0, 4], requiresGrad: true)
    Tensor.maximum(a, b).sum().backward()
    #expect(a.grad?.scalars == [1, 1, 0])
    #expect(b.grad?.scalars == [0, 0, 1])
  }

  @Test func selectWhere() {
    let condition = Tensor([1, 0, 0, 1])
    let a = Tensor([1, 2, 3, 4])
    let b = Tensor([-1, -2, -3, -4])
    expectTensor(Tensor.select(where: condition, a, b), shape: [4], [1, -2, -3, 4])
    // Broadcast condition (a column) and operands (a row, a scalar).
    let column = Tensor([1, 0], shape: [2, 1])
    expectTensor(
      Tensor.select(where: column, Tensor([5, 6, 7]), Tensor(0)), shape: [2, 3],
      [5, 6, 7, 0, 0, 0])
  }

  @Test func selectWhereGradients() {
    let condition = Tensor([1, 0, 1])
    let a = Tensor([1, 2, 3], requiresGrad: true)
    let b = Tensor([4, 5, 6], requiresGrad: true)
    Tensor.select(where: condition, a, b).sum().backward()
    #expect(a.grad?.scalars == [1, 0, 1])
    #expect(b.grad?.scalars == [0, 1, 0])
  }

  @Test func selectWhereWithInfiniteUnpickedValues() {
    let condition = Tensor([1, 0])
    let a = Tensor([1, 2])
    let b = Tensor([-Float.infinity, -Float.infinity])
    let result = Tensor.select(where: condition, a, b)
    #expect(result.scalars[0] == 1)
    #expect(result.scalars[1] == -.infinity)
  }

  @Test func selectWhereMasksLogitsWithMinusInfinity() {
    // The attention-mask pattern: unpicked -inf logits get probability 0, gradients stay finite.
    let logits = Tensor([1, 2, 3, 4], shape: [2, 2], requiresGrad: true)
    let keep = Tensor([1, 0, 1, 1], shape: [2, 2])
    let masked = Tensor.select(where: keep, logits, Tensor(-.infinity))
    let probabilities = masked.softmax()
    expectTensor(probabilities.detached(), shape: [2, 2], [1, 0, 0.268_941_43, 0.731_058_6])
    (probabilities * Tensor([1, 2])).sum().backward()
    let gradient = logits.grad!.scalars
    #expect(gradient.allSatisfy { $0.isFinite }, "\(gradient)")
    // Row 0 has one unmasked entry (probability 1): no gradient. Row 1: p (g - p.g).
    let (p, q): (Float, Float) = (0.268_941_43, 0.731_058_6)
    let dot = p * 1 + q * 2
    expectClose(gradient, [0, 0, p * (1 - dot), q * (2 - dot)], tolerance: 1e-6)
  }

  @Test func comparisonMasks() {
    let x = Tensor([1, 2, 3])
    expectTensor(x .> Tensor(2), shape: [3], [0, 0, 1])
    expectTensor(x .< 2, shape: [3], [1, 0, 0])
    expectTensor(x .> 2, shape: [3], [0, 0, 1])
    // Broadcasting, and no gradient even from operands that record one.
    let y = Tensor([2, 0], shape: [2, 1], requiresGrad: true)
    let mask = x .> y
    expectTensor(mask, shape: [2, 3], [0, 0, 1, 1, 1, 1])
    #expect(!mask.requiresGrad)
    expectTensor(Tensor([1, 1]) .< Tensor([1, 2]), shape: [2], [0, 1])
  }

  @Test func maskedFill() {
    let mask = Tensor([0, 1, 0, 1, 0, 0], shape: [2, 3])
    expectTensor(matrix.maskedFill(mask, value: -1), shape: [2, 3], [1, -1, 3, -1, 5, 6])
    // A row mask broadcast over both rows.
    let rowMask = Tensor([1, 0, 0])
    expectTensor(matrix.maskedFill(rowMask, value: 0), shape: [2, 3], [0, 2, 3, 0, 5, 6])
    // -infinity, as in attention masks, survives exactly.
    let filled = matrix.maskedFill(rowMask, value: -.infinity)
    #expect(filled.scalars[0] == -.infinity && filled.scalars[3] == -.infinity)
    #expect(filled.scalars[1] == 2)
  }

  @Test func maskedFillGradient() {
    let x = Tensor([1, 2, 3], requiresGrad: true)
    (x.maskedFill(Tensor([0, 1, 0]), value: 9) * Tensor([1, 2, 3])).sum().backward()
    #expect(x.grad?.scalars == [1, 0, 3])
  }

  @Test func broadcastTo() {
    let column = Tensor([1, 2], shape: [2, 1])
    expectTensor(column.broadcast(to: [2, 3]), shape: [2, 3], [1, 1, 1, 2, 2, 2])
    expectTensor(
      Tensor([7, 8]).broadcast(to: [2, 2, 2]), shape: [2, 2, 2], [7, 8, 7, 8, 7, 8, 7, 8])
    expectTensor(Tensor(3).broadcast(to: [3]), shape: [3], [3, 3, 3])
  }

  @Test func gradientOfBroadcastOperandIsSummed() {
    let a = Tensor(rows: [[1, 2, 3], [4, 5, 6]], requiresGrad: true)
    let row = Tensor([1, 1, 1], requiresGrad: true)
    let column = Tensor([1, 1], shape: [2, 1], requiresGrad: true)
    let scalar = Tensor(2, requiresGrad: true)
    ((a + row) * column * scalar).sum().backward()
    #expect(a.grad?.scalars == [2, 2, 2, 2, 2, 2])
    #expect(row.grad?.shape == [3])
    #expect(row.grad?.scalars == [4, 4, 4])
    // d/dcolumn_i = scalar * sum_j (a_ij + 1)
    #expect(column.grad?.shape == [2, 1])
    #expect(column.grad?.scalars == [18, 36])
    #expect(scalar.grad?.shape == [])
    #expect(scalar.grad?.scalars == [27])
  }
}
