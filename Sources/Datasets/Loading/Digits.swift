/// 1,797 handwritten digits, 8x8 with values 0..16 (Alpaydin and Kaynak's UCI optical digits, as in
/// scikit-learn), bundled with the package (see Resources/Digits/NOTICE.md).
public enum Digits {
  /// Image side in pixels: each row of `inputs` is an 8x8 image, row-major.
  public static let side = 8
  public static let classNames = (0...9).map(String.init)
  /// The largest pixel value in the file; inputs are divided by it.
  public static let maximumValue = 16

  /// The bundled data: inputs [1797, 64] scaled to [0, 1]; labels 0..9.
  public static func load() throws -> LabelledDataset {
    try load(path: bundledFilePath(folder: "Digits", name: "sklearn-digits.csv.gz"))
  }

  /// A gzip-compressed CSV of rows of 64 integers 0..16 followed by the label 0..9.
  public static func load(path: String) throws -> LabelledDataset {
    let pixels = side * side
    let table = try DelimitedText(gunzip(file: path), separator: UInt8(ascii: ","), fieldCount: pixels + 1, file: path)
    if table.rows.isEmpty { throw DatasetError.badFormat(file: path, reason: "no rows") }
    var scalars: [Float] = []
    scalars.reserveCapacity(table.rows.count * pixels)
    var labels: [Int] = []
    labels.reserveCapacity(table.rows.count)
    for (line, fields) in table.rows {
      for column in 0..<pixels {
        let value = try integerField(fields[column], column: "pixel \(column)", file: path, line: line)
        if value < 0 || value > maximumValue {
          throw DatasetError.badRow(
            file: path, line: line, reason: "pixel \(column) is \(value), outside 0..\(maximumValue)")
        }
        scalars.append(Float(value) / Float(maximumValue))
      }
      let label = try integerField(fields[pixels], column: "label", file: path, line: line)
      if label < 0 || label >= classNames.count {
        throw DatasetError.badRow(file: path, line: line, reason: "label \(label) is outside 0..9")
      }
      labels.append(label)
    }
    return LabelledDataset(
      checkedInputs: Tensor(shape: [labels.count, pixels], scalars: scalars), labels: labels,
      classNames: classNames, tasks: nil)
  }
}
