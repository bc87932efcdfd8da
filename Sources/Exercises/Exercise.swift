/// Classroom exercises that check themselves.
///
/// The design, in four parts:
///
/// 1. A chapter's checks live in the library target `ChapterNNChecks` (`Chapters/NN-Name/Checks/`).
///    It declares `ChapterNNAnswers`, a struct of closures with one member per checkable exercise (the
///    fixed signatures), and `chapterNNExercises(_ answers:) -> [Exercise]`, the checks. A check
///    calls the student's closure on inputs it chooses (seeded random ones and edge cases) and
///    compares with an oracle: the library's own implementation where there is one, a hand-derived
///    value otherwise, or a rerun of the lesson's experiment at a small size.
/// 2. The student's file `Chapters/NN-Name/Exercises.swift` is the target `ChapterNNExercises`; the
///    teacher's `Chapters/NN-Name/Solutions/` is `ChapterNNSolutions`, which also holds the
///    deliberately wrong answers (`WrongAnswers.swift`) that prove each check rejects them. Both end
///    with `public let answers = ChapterNNAnswers(...)`, which hands their functions to the checks.
///    Stubs throw `NotDoneYet()`; they compile and never crash the checker. Neither file is compiled
///    into the chapter's executable (the `chapter()` helper excludes them).
/// 3. `check-exercises N [--solutions]` (`make check-N`) runs every exercise of chapter N in a child
///    process of itself (`--exercise K`), with a time limit, so that a trap or an endless loop in one
///    answer is reported (`exercise 2: crashed (...)`, `exercise 2: timed out after 10 s`) while the
///    others still run. Each child prints one result line; the parent prints one line per exercise,
///    a summary, and exits non-zero unless every exercise passed. `--json` prints the same as JSON.
/// 4. `make check-N EXERCISES=path` checks another copy of the file without touching the chapter's:
///    `Scripts/check-exercises-file.sh` copies it into a scratch package under `.build/` whose one
///    executable compiles the copy beside a generated `main.swift` and depends on this package by
///    path (SwiftPM targets have fixed source paths, so a file chosen at `make` time needs a package
///    of its own). The scratch package calls `runExercises(chapter:exercises:)` like the checker.
///
/// A later chapter adds its exercises with files in its folder (`Exercises.swift`, `Checks/`,
/// `Solutions/`), one `("NN", "NN-Name")` entry in `exerciseChapters` in Package.swift, one line in
/// the checker's table of chapters (`Sources/CheckExercises/ExerciseChapters.swift`) and one test
/// line in `Tests/ExercisesTests/CheckProofTests.swift`.
public struct Exercise: Sendable {
  /// The exercise's number in the lesson's list of exercises.
  public let number: Int
  /// One line saying what is asked.
  public let title: String
  public let kind: ExerciseKind
  /// Runs the student's answer against the oracle; throws `CheckFailure` when it is wrong and
  /// `NotDoneYet` when the answer is still the stub. Any other error counts as wrong.
  public let check: @Sendable () throws -> Void

  public init(number: Int, title: String, kind: ExerciseKind, check: @escaping @Sendable () throws -> Void) {
    self.number = number
    self.title = title
    self.kind = kind
    self.check = check
  }
}

/// How an exercise is checked.
public enum ExerciseKind: String, Sendable {
  /// A function compared with the library's implementation or a hand-derived oracle on many inputs.
  case code
  /// A number the student measured by changing a setting; the check reruns the reference experiment.
  case experiment
  /// A question with an exact answer.
  case question
}

/// What a stub throws: the exercise has not been attempted yet.
public struct NotDoneYet: Error, CustomStringConvertible, Sendable {
  public init() {}
  public var description: String { "not done yet" }
}

/// A wrong answer, with a message that names the input, the answer and the expected value.
public struct CheckFailure: Error, CustomStringConvertible, Sendable {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}
