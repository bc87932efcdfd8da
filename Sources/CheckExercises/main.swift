import Exercises

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// check-exercises N [--solutions] [--json] [--only K] [--time-limit S]: `make check-N`.
// check-exercises self-test: the runtime's own demonstration (a pass, a trap, an endless loop, a stub).

let arguments = CommandLine.arguments
let usage =
  "usage: check-exercises <chapter> [--solutions] [--json] [--only K] [--time-limit S]; chapters with exercises: "
  + exerciseChapters.map { String($0.number) }.joined(separator: ", ")
guard arguments.count >= 2 else {
  printError(usage)
  exit(2)
}
if arguments[1] == "self-test" {
  runExercises(chapter: 0, exercises: runtimeSelfTestExercises())
}
guard let number = Int(arguments[1]), let chapter = exerciseChapters.first(where: { $0.number == number }) else {
  printError("error: no exercises for chapter \(arguments[1]); \(usage)")
  exit(2)
}
let solutions = arguments.contains("--solutions")
if solutions && !arguments.contains("--exercise") && !arguments.contains("--json") {
  print("checking the teacher's solutions")
}
runExercises(chapter: number, exercises: solutions ? chapter.solutions() : chapter.exercises())
