import Foundation

/// A chapter's folder, `Chapters/NN-Name`, with the files the renderer reads and writes.
public struct ChapterFolder: Equatable, Sendable {
  /// The package's root folder (absolute), which holds `Package.swift` and `Chapters/`.
  public let root: String
  /// The folder's name, e.g. `06-ExpertRegions`.
  public let name: String
  /// The chapter's number, from the folder's name.
  public let number: Int

  /// `Chapters/06-ExpertRegions`, relative to the root.
  public var relativePath: String { "Chapters/" + name }
  /// The folder's absolute path.
  public var path: String { root + "/" + relativePath }
  /// The literate source.
  public var sourcePath: String { path + "/main.swift" }
  /// The lesson page.
  public var pagePath: String { path + "/README.md" }
  /// The notebook, named after the folder.
  public var notebookPath: String { path + "/" + name + ".ipynb" }
  /// The lesson's own copies of the canonical run's figures, `Chapters/06-ExpertRegions/figures`: the
  /// page and notebook show these, so a student's runs (which write into `Figures/chapter-06`, ignored
  /// by git) never change what the lesson shows.
  public var figuresPath: String { path + "/figures" }
  /// The executable's name, `chapter-06`.
  public var productName: String { "chapter-" + (number < 10 ? "0" : "") + String(number) }

  /// The chapter folder `Chapters/<name>` of `root`; nil unless the name starts with a number and a dash.
  public init?(root: String, name: String) {
    let digits = name.prefix(while: \.isNumber)
    guard !digits.isEmpty, name.dropFirst(digits.count).first == "-", let number = Int(digits) else {
      return nil
    }
    self.root = root
    self.name = name
    self.number = number
  }

  /// Every chapter folder of `root` that holds a `main.swift`, by number.
  public static func all(root: String) -> [ChapterFolder] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root + "/Chapters")) ?? []
    return names.compactMap { ChapterFolder(root: root, name: $0) }
      .filter { FileManager.default.fileExists(atPath: $0.sourcePath) }
      .sorted { ($0.number, $0.name) < ($1.number, $1.name) }
  }

  /// The chapter that `argument` names: a number (`6`, `06`), a folder name (`06-ExpertRegions`) or a
  /// path to the folder (`Chapters/06-ExpertRegions`, relative to `workingDirectory` or absolute).
  public static func find(_ argument: String, root: String, workingDirectory: String) throws(LessonError)
    -> ChapterFolder
  {
    let chapters = all(root: root)
    if let number = Int(argument) {
      let matches = chapters.filter { $0.number == number }
      guard matches.count == 1 else {
        throw LessonError.chapterNotFound(
          matches.isEmpty
            ? "no chapter \(number) in \(root)/Chapters (folders are named like 06-ExpertRegions)"
            : "several folders for chapter \(number): \(matches.map(\.name).joined(separator: ", "))")
      }
      return matches[0]
    }
    let trimmed = argument.hasSuffix("/") ? String(argument.dropLast()) : argument
    let resolved = Paths.resolve(trimmed, against: workingDirectory)
    if let match = chapters.first(where: { $0.name == trimmed || $0.path == resolved }) { return match }
    throw LessonError.chapterNotFound(
      "'\(argument)' is not a chapter: give its number (6) or its folder (Chapters/06-ExpertRegions)")
  }

  /// The package root: `start` or the nearest folder above it that holds `Package.swift` and `Chapters/`.
  public static func packageRoot(from start: String) throws(LessonError) -> String {
    var folder = Paths.normalize(start)
    while true {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: folder + "/Package.swift"),
        FileManager.default.fileExists(atPath: folder + "/Chapters", isDirectory: &isDirectory), isDirectory.boolValue
      {
        return folder
      }
      if folder == "/" || folder.isEmpty {
        throw LessonError.chapterNotFound("no package with a Chapters folder in \(start) or above it")
      }
      folder = Paths.normalize(folder + "/..")
    }
  }
}
