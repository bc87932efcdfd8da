import Support

/// What checking one exercise found.
public enum ExerciseOutcome: Equatable, Sendable {
  case passed
  /// The answer is wrong; the message names the input, the answer and the expected value.
  case notYet(String)
  /// The answer is still the stub.
  case notDone
  /// The answer stopped the process (a trap: index out of range, overflow, force-unwrapped nil, ...).
  case crashed(String)
  case timedOut(seconds: Double)

  /// The line `make check-N` prints, e.g. `exercise 2: not yet: for ... your weights are ...`.
  public func line(exercise number: Int) -> String {
    switch self {
    case .passed: return "exercise \(number): passed"
    case .notYet(let message): return "exercise \(number): not yet: \(message)"
    case .notDone: return "exercise \(number): not done yet"
    case .crashed(let reason): return "exercise \(number): crashed (\(reason))"
    case .timedOut(let seconds): return "exercise \(number): timed out after \(describe(seconds)) s"
    }
  }

  /// `passed`, `failed`, `not done`, `crashed` or `timed out`, as in the JSON output.
  public var status: String {
    switch self {
    case .passed: return "passed"
    case .notYet: return "failed"
    case .notDone: return "not done"
    case .crashed: return "crashed"
    case .timedOut: return "timed out"
    }
  }

  /// The explanation shown after the status, empty when there is none.
  public var message: String {
    switch self {
    case .passed, .notDone: return ""
    case .notYet(let message), .crashed(let message): return message
    case .timedOut(let seconds): return "no answer after \(describe(seconds)) s"
    }
  }

  /// One line, passed from a child process to its parent.
  var encoded: String {
    switch self {
    case .passed: return "passed"
    case .notYet(let message): return "failed " + message.replacing("\n", with: " ")
    case .notDone: return "not-done"
    case .crashed(let reason): return "crashed " + reason.replacing("\n", with: " ")
    case .timedOut(let seconds): return "timed-out \(seconds)"
    }
  }

  init?(encoded line: Substring) {
    let word = line.prefix { $0 != " " }
    let rest = String(line.dropFirst(word.count + 1))
    switch word {
    case "passed": self = .passed
    case "failed": self = .notYet(rest)
    case "not-done": self = .notDone
    case "crashed": self = .crashed(rest)
    case "timed-out": self = .timedOut(seconds: Double(rest) ?? 0)
    default: return nil
    }
  }
}

/// Checks an exercise in this process: no protection against a crash or an endless loop (the
/// checker adds it with a child process); what the tests use to run thousands of checks quickly.
public func checkInProcess(_ exercise: Exercise) -> ExerciseOutcome {
  do {
    try exercise.check()
    return .passed
  } catch is NotDoneYet {
    return .notDone
  } catch let failure as CheckFailure {
    return .notYet(failure.message)
  } catch {
    return .notYet("your function threw an error: \(error)")
  }
}

/// "3 passed, 1 failed, 1 not done": crashes and time-outs count as failed.
public func summaryLine(_ outcomes: [ExerciseOutcome]) -> String {
  let passed = outcomes.filter { $0 == .passed }.count
  let notDone = outcomes.filter { $0 == .notDone }.count
  return "\(passed) passed, \(outcomes.count - passed - notDone) failed, \(notDone) not done"
}

/// The machine-readable result of a chapter: one object per exercise, in order.
public func jsonReport(chapter: Int, exercises: [Exercise], outcomes: [ExerciseOutcome]) -> String {
  let items: [JSONText] = zip(exercises, outcomes).map { exercise, outcome in
    .object([
      "exercise": .integer(exercise.number), "title": .string(exercise.title), "kind": .string(exercise.kind.rawValue),
      "status": .string(outcome.status), "message": .string(outcome.message),
    ])
  }
  let passed = outcomes.filter { $0 == .passed }.count
  let notDone = outcomes.filter { $0 == .notDone }.count
  return JSONText.object([
    "chapter": .integer(chapter), "exercises": .array(items), "passed": .integer(passed),
    "failed": .integer(outcomes.count - passed - notDone), "notDone": .integer(notDone),
    "allPassed": .bool(passed == outcomes.count),
  ]).serialized()
}
