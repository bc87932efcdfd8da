import Datasets
import Testing

@Suite struct SyntheticDataTests {
  @Test func quadrantTargetFollowsItsFourRegimes() {
    #expect(SyntheticData.quadrantTarget(0.25, 0.5) == 0.75)
    #expect(abs(SyntheticData.quadrantTarget(-0.25, 0.5) - -1) < 1e-6)
    #expect(SyntheticData.quadrantTarget(-0.5, -0.5) == 0.25)
    #expect(SyntheticData.quadrantTarget(0.5, -0.1) == -1)
    #expect(
      [(0.1, 0.1), (-0.1, 0.1), (-0.1, -0.1), (0.1, -0.1)].map { SyntheticData.quadrant($0, $1) } == [0, 1, 2, 3])
  }

  @Test func quadrantDataMatchesTheTarget() {
    var generator = SeededGenerator(seed: 1)
    let data = SyntheticData.quadrants(count: 50, using: &generator)
    #expect(data.inputs.shape == [50, 2] && data.targets.shape == [50, 1])
    for row in 0..<50 {
      let (x1, x2) = (data.inputs.scalars[2 * row], data.inputs.scalars[2 * row + 1])
      #expect(abs(x1) <= 1 && abs(x2) <= 1)
      #expect(data.targets.scalars[row] == SyntheticData.quadrantTarget(x1, x2))
    }
  }

  @Test func sumOfSquaresTargets() {
    var generator = SeededGenerator(seed: 2)
    let data = SyntheticData.sumOfSquares(count: 4, dimension: 3, using: &generator)
    for row in 0..<4 {
      let x = data.inputs.scalars[(3 * row)..<(3 * row + 3)]
      #expect(abs(data.targets.scalars[row] - x.map { $0 * $0 }.reduce(0, +)) < 1e-5)
    }
  }

  @Test func piecewiseTargetHasThreeRegimes() {
    #expect(SyntheticData.piecewiseTarget(-1) == 0.5)
    #expect(abs(SyntheticData.piecewiseTarget(1.0 / 6) - 0.8) < 1e-6)
    #expect(abs(SyntheticData.piecewiseTarget(2.0 / 3) - -0.2) < 1e-6)
    #expect([-0.9, 0, 0.9].map { SyntheticData.piecewiseRegime(Float($0)) } == [0, 1, 2])
  }

  @Test func splitAndBatchesCoverEveryRowOnce() {
    var generator = SeededGenerator(seed: 3)
    let data = SyntheticData.piecewise(count: 10, using: &generator)
    let (training, validation) = data.split(trainingFraction: 0.8)
    #expect(training.count == 8 && validation.count == 2)
    #expect(validation.inputs.scalars == Array(data.inputs.scalars[8...]))
    let batches = training.batches(size: 3, using: &generator)
    #expect(batches.map(\.count) == [3, 3, 2])
    #expect(batches.flatMap(\.inputs.scalars).sorted() == training.inputs.scalars.sorted())
  }

  @Test func gridIsEvenlySpacedAndInclusive() {
    let grid = SyntheticData.grid(from: -1, to: 1, count: 5)
    #expect(grid.shape == [5, 1])
    #expect(grid.scalars == [-1, -0.5, 0, 0.5, 1])
  }
}
