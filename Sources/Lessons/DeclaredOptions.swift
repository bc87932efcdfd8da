/// An option a chapter declares beside the common ones, such as `--experts 8`:
///
///     let chapter = Chapter(
///       number: 7, title: "Top-k routing", abstract: "...", defaultEpochs: 200,
///       options: [.integer("experts", default: 8, in: 2...64, help: "Number of experts.")])
///     let expertCount = chapter.integer("experts")
///
/// `--help` lists it under "Chapter options" with its default and range; a missing, malformed or
/// out-of-range value stops the chapter before it trains, with one error line and the usage.
public struct ChapterOption: Sendable, Equatable {
  /// What values the option takes.
  public enum Kind: Sendable, Equatable {
    case integer(default: Int, range: ClosedRange<Int>)
    case number(default: Double, range: ClosedRange<Double>)
  }

  /// The name without dashes: `experts` for `--experts`.
  public let name: String
  public let kind: Kind
  /// One sentence for `--help`.
  public let help: String

  /// A whole-number option, `--name N` or `--name=N`, with `N` in `range`.
  public static func integer(_ name: String, default value: Int, in range: ClosedRange<Int>, help: String)
    -> ChapterOption
  {
    ChapterOption(name: name, kind: .integer(default: value, range: range), help: help)
  }

  /// A decimal option, `--name X` or `--name=X`, with `X` in `range`.
  public static func decimal(
    _ name: String, default value: Double, in range: ClosedRange<Double>, help: String
  ) -> ChapterOption {
    ChapterOption(name: name, kind: .number(default: value, range: range), help: help)
  }

  var defaultIsInRange: Bool {
    switch kind {
    case .integer(let value, let range): range.contains(value)
    case .number(let value, let range): range.contains(value)
    }
  }

  /// `--experts <integer>`, as the help shows it.
  var synopsis: String {
    switch kind {
    case .integer: "--\(name) <integer>"
    case .number: "--\(name) <number>"
    }
  }

  /// The help line's text after the synopsis: the sentence, the default and the range.
  var helpText: String {
    switch kind {
    case .integer(let value, let range):
      "\(help) (default: \(value); \(range.lowerBound)...\(range.upperBound))"
    case .number(let value, let range):
      "\(help) (default: \(value); \(range.lowerBound)...\(range.upperBound))"
    }
  }
}

/// The value a declared option got on the command line, or its default.
enum ChapterOptionValue: Equatable, Sendable {
  case integer(Int)
  case number(Double)
}

/// Reads the declared options out of the arguments ArgumentParser did not recognize.
enum DeclaredOptions {
  /// A bad declared option, in one line: "--experts must be an integer in 2...64, got 0".
  struct Failure: Error, Equatable, CustomStringConvertible {
    let message: String
    var description: String { message }
  }

  /// The value of every declared option: from `arguments` (`--name value` or `--name=value`, each at most
  /// once), else its default. Anything else in `arguments` is an unknown option.
  static func values(
    _ arguments: [String], declared: [ChapterOption]
  ) throws(Failure) -> [String: ChapterOptionValue] {
    var given: [String: String] = [:]
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      guard argument.hasPrefix("--") else { throw Failure(message: "Unexpected argument '\(argument)'") }
      let body = argument.dropFirst(2)
      let name = String(body.prefix { $0 != "=" })
      guard let option = declared.first(where: { $0.name == name }) else {
        throw Failure(message: "Unknown option '--\(name)'")
      }
      let text: String
      if let equals = body.firstIndex(of: "=") {
        text = String(body[body.index(after: equals)...])
      } else {
        guard index < arguments.count else { throw Failure(message: "Missing value for '\(option.synopsis)'") }
        text = arguments[index]
        index += 1
      }
      guard given[name] == nil else { throw Failure(message: "--\(name) is given twice") }
      given[name] = text
    }
    var values: [String: ChapterOptionValue] = [:]
    for option in declared {
      values[option.name] = try value(of: option, given[option.name])
    }
    return values
  }

  private static func value(of option: ChapterOption, _ text: String?) throws(Failure) -> ChapterOptionValue {
    switch option.kind {
    case .integer(let defaultValue, let range):
      guard let text else { return .integer(defaultValue) }
      guard let value = Int(text), range.contains(value) else {
        throw Failure(
          message: "--\(option.name) must be an integer in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
      }
      return .integer(value)
    case .number(let defaultValue, let range):
      guard let text else { return .number(defaultValue) }
      guard let value = Double(text), value.isFinite, range.contains(value) else {
        throw Failure(
          message: "--\(option.name) must be a number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
      }
      return .number(value)
    }
  }

  /// The "Chapter options" section of `--help`, or "" when the chapter declares none.
  static func helpSection(_ declared: [ChapterOption]) -> String {
    guard !declared.isEmpty else { return "" }
    let width = declared.map(\.synopsis.count).max()! + 2
    let lines = declared.map {
      "  " + $0.synopsis + String(repeating: " ", count: width - $0.synopsis.count) + $0.helpText
    }
    return "CHAPTER OPTIONS:\n" + lines.joined(separator: "\n")
  }

  /// Names a chapter may not declare: the common options, and nothing twice.
  static func checkDeclarations(_ declared: [ChapterOption]) -> String? {
    let reserved = ["seed", "quick", "epochs", "figures", "help"]
    var seen: Set<String> = []
    for option in declared {
      if option.name.isEmpty || option.name.hasPrefix("-") || option.name.contains("=") {
        return "chapter option '\(option.name)' needs a plain name, without dashes or '='"
      }
      if reserved.contains(option.name) { return "chapter option '--\(option.name)' is a common option already" }
      if !seen.insert(option.name).inserted { return "chapter option '--\(option.name)' is declared twice" }
      if !option.defaultIsInRange { return "chapter option '--\(option.name)': its default is outside its range" }
    }
    return nil
  }
}
