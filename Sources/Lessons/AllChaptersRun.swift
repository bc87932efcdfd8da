/// One set of options for every chapter, as `make chapters ARGS="..."` gives them.
///
/// Chapters take different options: chapter 3 trains nothing and rejects `--epochs`, and a chapter's
/// own options (`--experts`) mean nothing to the others. A run over all chapters (the environment
/// variable `LESSON_ALL_CHAPTERS=1`, which `Scripts/run-chapters.sh` sets) applies each option where it
/// applies and notes where it did not, instead of stopping at the first chapter that rejects one; and it
/// sends each chapter's figures to its own subfolder of `--figures DIR` (`DIR/chapter-06`), so chapters
/// whose figures share a name (`loss.png`) do not overwrite each other.
enum AllChaptersRun {
  /// The environment variable that marks a run over all chapters.
  static let variable = "LESSON_ALL_CHAPTERS"

  /// The options every chapter takes, and whether each takes a value.
  static let commonOptions: [String: Bool] = ["seed": true, "quick": false, "epochs": true, "figures": true]

  /// `arguments` as chapter `chapter` should read them in a run over all chapters, and one note per
  /// option left out.
  static func adapt(_ arguments: [String], for chapter: ChapterDescription) -> (arguments: [String], notes: [String]) {
    var kept: [String] = []
    var notes: [String] = []
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("--"), argument.count > 2 else {
        kept.append(argument)
        continue
      }
      let body = argument.dropFirst(2)
      let name = String(body.prefix { $0 != "=" })
      let inlineValue = body.firstIndex(of: "=").map { String(body[body.index(after: $0)...]) }
      let declared = chapter.declaredOptions.contains { $0.name == name }
      let known = commonOptions[name] != nil || declared
      // An option this chapter does not know takes the next argument as its value unless that is an option.
      let takesValue =
        commonOptions[name] ?? (declared || (index < arguments.count && !arguments[index].hasPrefix("--")))
      var value = inlineValue
      if value == nil, takesValue, index < arguments.count {
        value = arguments[index]
        index += 1
      }
      if name == "help" {
        kept.append(argument)
      } else if !known {
        notes.append("chapter \(chapter.number) has no option --\(name): left out")
      } else if name == "seed" && !chapter.drawsRandomNumbers {
        notes.append("chapter \(chapter.number) draws no random numbers: --seed left out")
      } else if name == "epochs" && chapter.defaultEpochs == nil {
        notes.append("chapter \(chapter.number) does not train: --epochs left out")
      } else if name == "figures", let folder = value {
        kept += ["--figures", folder + (folder.hasSuffix("/") ? "" : "/") + chapter.commandName]
      } else {
        kept.append("--" + name)
        if let value { kept.append(value) }
      }
    }
    return (kept, notes)
  }
}
