#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The prefix of the one line a child process prints with its outcome.
let outcomeMarker = "exercise-outcome: "

/// The command line of a chapter's checker; `exercises` are the chapter's checks bound to the
/// answers being checked. Options (after whatever selected the chapter):
///
///     --json            print the results as one JSON object instead of lines
///     --time-limit S    seconds each exercise may take (default 10)
///     --only K          check exercise K only
///     --exercise K      (internal) check exercise K in this process and print its outcome line
///
/// Every exercise runs in a child process (this executable again, with `--exercise K`), so that a
/// crash or an endless loop is reported and the next exercise still runs. Exits 0 only when every
/// exercise checked passed.
public func runExercises(chapter: Int, exercises: [Exercise], arguments: [String] = CommandLine.arguments) -> Never {
  let options: CheckOptions
  do {
    options = try CheckOptions(parsing: Array(arguments.dropFirst()))
  } catch {
    printError("error: \(error)")
    exit(2)
  }
  if let number = options.childExercise {
    guard let exercise = exercises.first(where: { $0.number == number }) else {
      printError("error: chapter \(chapter) has no exercise \(number)")
      exit(2)
    }
    let outcome = checkInProcess(exercise)
    fflush(nil)  // what the student's code printed comes before the outcome line
    writeStandardOutput(outcomeMarker + outcome.encoded + "\n")
    exit(0)
  }

  var selected = exercises
  if let only = options.only {
    selected = exercises.filter { $0.number == only }
    if selected.isEmpty {
      printError(
        "error: chapter \(chapter) has no exercise \(only) (its exercises: "
          + exercises.map { String($0.number) }.joined(separator: ", ") + ")")
      exit(2)
    }
  }
  if !options.json { print("chapter \(chapter): checking \(selected.count) exercise\(selected.count == 1 ? "" : "s")") }
  var outcomes: [ExerciseOutcome] = []
  for exercise in selected {
    let outcome = checkInChildProcess(exercise, arguments: options.passedOn, timeLimit: options.timeLimit)
    outcomes.append(outcome)
    if !options.json {
      print(outcome.line(exercise: exercise.number))
      fflush(nil)  // one line as soon as each exercise is checked, also through a pipe
    }
  }
  if options.json {
    print(jsonReport(chapter: chapter, exercises: selected, outcomes: outcomes))
  } else {
    print(summaryLine(outcomes))
  }
  exit(outcomes.allSatisfy { $0 == .passed } ? 0 : 1)
}

/// Reruns this executable on one exercise and reads the outcome line it prints.
func checkInChildProcess(_ exercise: Exercise, arguments: [String], timeLimit: Double) -> ExerciseOutcome {
  let result = runChild(
    executable: currentExecutable(), arguments: arguments + ["--exercise", String(exercise.number)],
    timeLimit: timeLimit)
  var outcome: ExerciseOutcome?
  for line in result.output.split(separator: "\n", omittingEmptySubsequences: false) {
    if line.hasPrefix(outcomeMarker), let decoded = ExerciseOutcome(encoded: line.dropFirst(outcomeMarker.count)) {
      outcome = decoded
    } else if !line.isEmpty {
      printError(String(line))  // what the student's code printed
    }
  }
  if case .exited = result.ending, !result.errorOutput.isEmpty { printError(result.errorOutput) }
  switch result.ending {
  case .timedOut: return .timedOut(seconds: timeLimit)
  case .signalled(let signal): return .crashed(describeSignal(signal, errorOutput: result.errorOutput))
  case .exited(let code):
    if let outcome { return outcome }
    return .crashed("the check stopped with exit code \(code) before it gave an answer")
  }
}

/// The path of the running executable, so that children run the same build.
func currentExecutable() -> String {
  #if os(Linux)
    var buffer = [CChar](repeating: 0, count: 4096)
    let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
    if length > 0 { return String(decoding: buffer[0..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
  #endif
  return CommandLine.arguments[0]
}

/// Writes `line` and a newline to standard error, unbuffered.
public func printError(_ line: String) {
  write(descriptor: 2, line + "\n")
}

func writeStandardOutput(_ text: String) {
  write(descriptor: 1, text)
}

private func write(descriptor: Int32, _ text: String) {
  var bytes = Array(text.utf8)[...]
  while !bytes.isEmpty {
    let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    if written < 0 && errno == EINTR { continue }
    if written <= 0 { return }
    bytes = bytes.dropFirst(written)
  }
}

/// The checker's options; `passedOn` are the arguments a child needs to select the same chapter.
struct CheckOptions {
  var json = false
  var timeLimit = 10.0
  var only: Int?
  var childExercise: Int?
  var passedOn: [String] = []

  struct BadOption: Error, CustomStringConvertible {
    let description: String
  }

  init(parsing arguments: [String]) throws(BadOption) {
    var index = 0
    func value(of option: String) throws(BadOption) -> String {
      index += 1
      guard index < arguments.count else { throw BadOption(description: "\(option) needs a value") }
      return arguments[index]
    }
    while index < arguments.count {
      let argument = arguments[index]
      switch argument {
      case "--json":
        json = true
      case "--time-limit":
        let text = try value(of: argument)
        guard let seconds = Double(text), seconds > 0 else {
          throw BadOption(description: "--time-limit \(text): expected a positive number of seconds")
        }
        timeLimit = seconds
      case "--only", "--exercise":
        let text = try value(of: argument)
        guard let number = Int(text) else {
          throw BadOption(description: "\(argument) \(text): expected an exercise number")
        }
        if argument == "--only" { only = number } else { childExercise = number }
      default:
        passedOn.append(argument)
      }
      index += 1
    }
  }
}
