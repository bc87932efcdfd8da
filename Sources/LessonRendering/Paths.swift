/// Path arithmetic on `/`-separated strings, without touching the file system.
enum Paths {
  /// `path` resolved against the folder `base` (both may be relative), with `.` and `..` removed.
  static func resolve(_ path: String, against base: String) -> String {
    normalize(path.hasPrefix("/") ? path : base + "/" + path)
  }

  /// `path` without empty components, `.` and `..` (where a parent is known).
  static func normalize(_ path: String) -> String {
    var components: [Substring] = []
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      if component == "." { continue }
      if component == "..", let last = components.last, last != ".." {
        components.removeLast()
        continue
      }
      components.append(component)
    }
    let joined = components.joined(separator: "/")
    if path.hasPrefix("/") { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }

  /// The relative path from the folder `folder` to `target`; both absolute or both relative to the same
  /// place. `relative(from: "Chapters/01-Intro", to: "Figures/chapter-01/loss.png")` is
  /// `../../Figures/chapter-01/loss.png`.
  static func relative(from folder: String, to target: String) -> String {
    let from = normalize(folder).split(separator: "/").filter { $0 != "." }
    let to = normalize(target).split(separator: "/").filter { $0 != "." }
    var common = 0
    while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
    let ups = [Substring](repeating: "..", count: from.count - common)
    let path = (ups + to[common...]).joined(separator: "/")
    return path.isEmpty ? "." : path
  }

  /// The last component of `path`.
  static func lastComponent(_ path: String) -> String {
    path.split(separator: "/").last.map(String.init) ?? path
  }
}
