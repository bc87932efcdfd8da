import Datasets
import Testing

@Suite struct ImageTransformTests {
  /// A 5x5 image with distinct values: pixel (r, c) = 10 r + c.
  let image: [Float] = (0..<25).map { Float(10 * ($0 / 5) + $0 % 5) }

  @Test func ninetyDegreesIsAnExactIndexRotation() throws {
    let side = 5
    let rotated = try ImageTransforms.rotate(image, side: side, degrees: 90)
    // Counter-clockwise: output[r][c] = input[c][side - 1 - r]; the top row becomes the left column.
    for row in 0..<side {
      for column in 0..<side { #expect(rotated[row * side + column] == image[column * side + (side - 1 - row)]) }
    }
    #expect(Array(rotated[0..<5]) == [4, 14, 24, 34, 44])
  }

  @Test func fourQuarterTurnsGiveTheImageBack() throws {
    var generator = SeededGenerator(seed: 1)
    let side = 28
    let original = (0..<(side * side)).map { _ in generator.nextUniform() }
    var turned = original
    for _ in 0..<4 { turned = try ImageTransforms.rotate(turned, side: side, degrees: 90) }
    #expect(zip(turned, original).allSatisfy { abs($0 - $1) < 1e-6 })
    // Not at a quarter turn the interpolation is bilinear: 4 x 22.5 degrees, then back by -90.
    var steps = original
    for _ in 0..<4 { steps = try ImageTransforms.rotate(steps, side: side, degrees: 22.5) }
    let back = try ImageTransforms.rotate(steps, side: side, degrees: -90)
    // The centre survives up to interpolation blur; the corners fall outside and become 0.
    let centre = (12..<16).flatMap { row in (12..<16).map { row * side + $0 } }
    let error = centre.map { abs(back[$0] - original[$0]) }.reduce(0, +) / Float(centre.count)
    #expect(error < 0.2)
    #expect(back[0] == 0)
  }

  @Test func bilinearSamplingAveragesNeighbours() throws {
    // A 2x2 image of ones turned by 45 degrees: pixel (0, 0) samples (row, column) = (0.5 - 0.707, 0.5),
    // between two pixels of row 0 (both 1) and two outside (0) with weight 0.707 - 0.5 = 0.207.
    let small: [Float] = [1, 1, 1, 1]
    let rotated = try ImageTransforms.rotate(small, side: 2, degrees: 45)
    let expected: Float = 1.5 - Float(2).squareRoot() / 2
    #expect(rotated.allSatisfy { abs($0 - expected) < 1e-5 }, "\(rotated)")
    #expect(
      datasetErrorDescription { _ = try ImageTransforms.rotate(small, side: 3, degrees: 10) }
        == "ImageTransforms.rotate: 4 pixels is not a 3x3 image")
  }

  @Test func aPermutationIsABijectionAndItsInverseRestoresTheImage() throws {
    var generator = SeededGenerator(seed: 7)
    let permutation = ImageTransforms.randomPermutation(pixelCount: 25, using: &generator)
    #expect(Set(permutation) == Set(0..<25) && permutation != Array(0..<25))
    let permuted = try ImageTransforms.permute(image, by: permutation)
    #expect(Set(permuted) == Set(image) && permuted != image)
    #expect(try ImageTransforms.permute(permuted, by: ImageTransforms.inverse(of: permutation)) == image)
    var same = SeededGenerator(seed: 7)
    #expect(ImageTransforms.randomPermutation(pixelCount: 25, using: &same) == permutation)
    #expect(
      datasetErrorDescription { _ = try ImageTransforms.permute(image, by: [0] + Array(0..<24)) }
        == "ImageTransforms.permute: 0 is repeated or outside 0..<25")
  }

  @Test func rotationTasksTagEveryRowWithItsTask() throws {
    let data = try LabelledDataset(
      inputs: Tensor(shape: [2, 25], scalars: image + image.map { $0 + 100 }), labels: [1, 0], classNames: ["a", "b"])
    let tasks = try data.rotationTasks(angles: [0, 90, 180], side: 5)
    #expect(tasks.map { $0.tasks! } == [[0, 0], [1, 1], [2, 2]])
    #expect(tasks[0].inputs.scalars == data.inputs.scalars && tasks[1].labels == [1, 0])
    #expect(Array(tasks[1].inputs.scalars[0..<25]) == (try ImageTransforms.rotate(image, side: 5, degrees: 90)))
    #expect(Array(tasks[2].inputs.scalars[25..<50]) == image.reversed().map { $0 + 100 })
    let sequence = try LabelledDataset.concatenated(tasks)
    #expect(sequence.count == 6 && sequence.tasks == [0, 0, 1, 1, 2, 2])
    #expect(
      datasetErrorDescription { _ = try data.rotated(by: 10, side: 4) }
        == "LabelledDataset.rotated: side 4 does not match 25 features per row")
  }

  @Test func permutationTasksApplyTheirPermutationToEveryRow() throws {
    let data = try LabelledDataset(inputs: Tensor(shape: [1, 25], scalars: image), labels: [0], classNames: ["a"])
    var generator = SeededGenerator(seed: 3)
    let permutation = ImageTransforms.randomPermutation(pixelCount: 25, using: &generator)
    let tasks = try data.permutationTasks([Array(0..<25), permutation])
    #expect(tasks[0].inputs.scalars == image && tasks[1].tasks == [1])
    #expect(tasks[1].inputs.scalars == (try ImageTransforms.permute(image, by: permutation)))
  }
}
