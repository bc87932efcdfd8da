#if canImport(Glibc)
  import Glibc
#endif

/// Transforms of square grey images stored row-major, as used to make continual-learning task
/// sequences (rotated MNIST, permuted MNIST).
public enum ImageTransforms {
  /// `image` (side x side, row-major) rotated counter-clockwise by `degrees` about its centre,
  /// same size, by bilinear interpolation; points that come from outside the image are 0.
  ///
  /// Output pixel (r, c) samples the input at the inverse rotation of its offset from the centre
  /// m = (side - 1) / 2:  c' = m + cos(a) (c - m) - sin(a) (r - m),  r' = m + sin(a) (c - m) + cos(a) (r - m).
  /// At 90 degrees this is output[r][c] = input[c][side - 1 - r] (NumPy's rot90).
  public static func rotate(_ image: [Float], side: Int, degrees: Double) throws -> [Float] {
    if side < 1 || image.count != side * side {
      throw DatasetError.invalidArgument(
        name: "ImageTransforms.rotate", reason: "\(image.count) pixels is not a \(side)x\(side) image")
    }
    var output = [Float](repeating: 0, count: image.count)
    image.withUnsafeBufferPointer { input in
      output.withUnsafeMutableBufferPointer { rotated in
        rotate(input, into: rotated, side: side, degrees: degrees)
      }
    }
    return output
  }

  static func rotate(
    _ input: UnsafeBufferPointer<Float>, into output: UnsafeMutableBufferPointer<Float>, side: Int, degrees: Double
  ) {
    let radians = degrees * Double.pi / 180
    // Exact values at multiples of 90 degrees keep quarter turns free of interpolation blur.
    let (cosine, sine) = exactQuarterTurn(degrees) ?? (cos(radians), sin(radians))
    let middle = Double(side - 1) / 2
    func pixel(_ row: Int, _ column: Int) -> Float {
      row >= 0 && row < side && column >= 0 && column < side ? input[row * side + column] : 0
    }
    for row in 0..<side {
      let dy = Double(row) - middle
      for column in 0..<side {
        let dx = Double(column) - middle
        let sourceColumn = middle + cosine * dx - sine * dy
        let sourceRow = middle + sine * dx + cosine * dy
        let row0 = Int(floor(sourceRow))
        let column0 = Int(floor(sourceColumn))
        let rowWeight = Float(sourceRow - Double(row0))
        let columnWeight = Float(sourceColumn - Double(column0))
        let top = pixel(row0, column0) * (1 - columnWeight) + pixel(row0, column0 + 1) * columnWeight
        let bottom = pixel(row0 + 1, column0) * (1 - columnWeight) + pixel(row0 + 1, column0 + 1) * columnWeight
        output[row * side + column] = top * (1 - rowWeight) + bottom * rowWeight
      }
    }
  }

  private static func exactQuarterTurn(_ degrees: Double) -> (Double, Double)? {
    let turns = degrees / 90
    guard turns == turns.rounded() else { return nil }
    switch ((Int(turns) % 4) + 4) % 4 {
    case 0: return (1, 0)
    case 1: return (0, 1)
    case 2: return (-1, 0)
    default: return (0, -1)
    }
  }

  /// A random permutation of `pixelCount` pixel positions (Fisher-Yates with `generator`):
  /// output pixel i is input pixel permutation[i].
  public static func randomPermutation(pixelCount: Int, using generator: inout SeededGenerator) -> [Int] {
    generator.permutation(pixelCount)
  }

  /// The permutation that undoes `permutation`: permute(permute(x, p), inverse(p)) == x.
  public static func inverse(of permutation: [Int]) throws -> [Int] {
    try checkPermutation(permutation, pixelCount: permutation.count)
    var inverse = [Int](repeating: 0, count: permutation.count)
    for (position, source) in permutation.enumerated() { inverse[source] = position }
    return inverse
  }

  /// `image` with output pixel i taken from input pixel permutation[i].
  public static func permute(_ image: [Float], by permutation: [Int]) throws -> [Float] {
    try checkPermutation(permutation, pixelCount: image.count)
    return permutation.map { image[$0] }
  }

  static func checkPermutation(_ permutation: [Int], pixelCount: Int) throws {
    if permutation.count != pixelCount {
      throw DatasetError.invalidArgument(
        name: "ImageTransforms.permute", reason: "permutation of \(permutation.count) for \(pixelCount) pixels")
    }
    var seen = [Bool](repeating: false, count: pixelCount)
    for value in permutation {
      if value < 0 || value >= pixelCount || seen[value] {
        throw DatasetError.invalidArgument(
          name: "ImageTransforms.permute", reason: "\(value) is repeated or outside 0..<\(pixelCount)")
      }
      seen[value] = true
    }
  }
}

extension LabelledDataset {
  /// Every image (a row of side x side pixels) rotated counter-clockwise by `degrees`
  /// (see `ImageTransforms.rotate`); labels and task ids are kept.
  public func rotated(by degrees: Double, side: Int) throws -> LabelledDataset {
    if side * side != featureCount {
      throw DatasetError.invalidArgument(
        name: "LabelledDataset.rotated", reason: "side \(side) does not match \(featureCount) features per row")
    }
    let pixels = featureCount
    var output = [Float](repeating: 0, count: inputs.count)
    inputs.scalars.withUnsafeBufferPointer { input in
      output.withUnsafeMutableBufferPointer { rotated in
        for row in 0..<count {
          ImageTransforms.rotate(
            UnsafeBufferPointer(rebasing: input[(row * pixels)..<((row + 1) * pixels)]),
            into: UnsafeMutableBufferPointer(rebasing: rotated[(row * pixels)..<((row + 1) * pixels)]),
            side: side, degrees: degrees)
        }
      }
    }
    return LabelledDataset(
      checkedInputs: Tensor(shape: inputs.shape, scalars: output), labels: labels, classNames: classNames, tasks: tasks)
  }

  /// Every row's features reordered by `permutation` (output feature i = input feature permutation[i]).
  public func permuted(by permutation: [Int]) throws -> LabelledDataset {
    try ImageTransforms.checkPermutation(permutation, pixelCount: featureCount)
    let width = featureCount
    var output = [Float](repeating: 0, count: inputs.count)
    inputs.scalars.withUnsafeBufferPointer { input in
      permutation.withUnsafeBufferPointer { order in
        output.withUnsafeMutableBufferPointer { permuted in
          for row in 0..<count {
            for position in 0..<width { permuted[row * width + position] = input[row * width + order[position]] }
          }
        }
      }
    }
    return LabelledDataset(
      checkedInputs: Tensor(shape: inputs.shape, scalars: output), labels: labels, classNames: classNames, tasks: tasks)
  }

  /// A continual-learning task sequence: task t is this data set rotated by `angles[t]` degrees,
  /// every row tagged with task id t.
  public func rotationTasks(angles: [Double], side: Int) throws -> [LabelledDataset] {
    try angles.enumerated().map { task, angle in try rotated(by: angle, side: side).withTask(task) }
  }

  /// A permuted-pixels task sequence: task t applies `permutations[t]` and is tagged with task id t.
  public func permutationTasks(_ permutations: [[Int]]) throws -> [LabelledDataset] {
    try permutations.enumerated().map { task, permutation in try permuted(by: permutation).withTask(task) }
  }
}
