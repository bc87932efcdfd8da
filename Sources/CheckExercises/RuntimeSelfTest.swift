import Exercises

/// Answers that pass, fail, are not done, trap and never return: `check-exercises self-test` shows
/// (and ExercisesTests proves) that the checker reports each one and keeps going.
func runtimeSelfTestExercises() -> [Exercise] {
  [
    Exercise(number: 1, title: "an answer that passes", kind: .question) {},
    Exercise(number: 2, title: "an answer that traps", kind: .code) {
      let values = [1, 2, 3]
      let index = values.count + Int(CommandLine.arguments.count > 0 ? 1 : 0)
      _ = values[index]  // index out of range: a trap
    },
    Exercise(number: 3, title: "an answer that never returns", kind: .code) {
      var counter = 0
      while counter >= 0 { counter = (counter + 1) % 1000 }
    },
    Exercise(number: 4, title: "a stub", kind: .code) { throw NotDoneYet() },
    Exercise(number: 5, title: "a wrong answer", kind: .question) {
      try expectEqual(3, 4, input: "for 2 + 2", name: "sum")
    },
  ]
}
