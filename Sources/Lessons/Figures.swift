import Plotting

extension Chapter {
  /// Writes `chart` as `<figures folder>/<name>.png` and prints `figure: <path>` (the renderer turns that
  /// line into an image on the lesson page), followed by a `note:` line for each remark the chart makes
  /// about its data (skipped NaN values, for example).
  ///
  /// The file appears complete or not at all, and the same chart gives the same bytes. A name that is
  /// empty or contains `/`, or a chart that cannot be drawn or written, stops the chapter with one error
  /// line and status 1.
  ///
  /// - Parameters:
  ///   - name: the file name without `.png`, e.g. `"regions"`.
  ///   - width: pixels; nil uses the chart's default size.
  ///   - height: pixels; nil uses the chart's default size.
  public func saveFigure(_ chart: some Chart, name: String, width: Int? = nil, height: Int? = nil) {
    guard !name.isEmpty, !name.contains("/") else {
      lessonFailure("figure name '\(name)' must be a plain file name, without '/' and not empty")
    }
    let path = FiguresFolder.joined(figuresFolder, name + ".png")
    do {
      try FiguresFolder.prepare(figuresFolder)
      try chart.write(to: path, width: width, height: height)
    } catch let error as FiguresFolderError {
      lessonFailure(error.description)
    } catch {
      lessonFailure("cannot save figure '\(name)': \(error)")
    }
    print("figure: \(path)")
    // Chart notes read "note: ..." already.
    for note in chart.notes { print(note) }
  }
}
