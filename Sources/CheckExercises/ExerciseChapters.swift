import Chapter01Checks
import Chapter01Exercises
import Chapter01Solutions
import Chapter02Checks
import Chapter02Exercises
import Chapter02Solutions
import Chapter03Checks
import Chapter03Exercises
import Chapter03Solutions
import Chapter04Checks
import Chapter04Exercises
import Chapter04Solutions
import Chapter05Checks
import Chapter05Exercises
import Chapter05Solutions
import Chapter06Checks
import Chapter06Exercises
import Chapter06Solutions
import Chapter07Checks
import Chapter07Exercises
import Chapter07Solutions
import Chapter08Checks
import Chapter08Exercises
import Chapter08Solutions
import Chapter09Checks
import Chapter09Exercises
import Chapter09Solutions
import Chapter10Checks
import Chapter10Exercises
import Chapter10Solutions
import Chapter11Checks
import Chapter11Exercises
import Chapter11Solutions
import Chapter12Checks
import Chapter12Exercises
import Chapter12Solutions
import Chapter13Checks
import Chapter13Exercises
import Chapter13Solutions
import Chapter14Checks
import Chapter14Exercises
import Chapter14Solutions
import Exercises

/// A chapter's checks, bound to the student's answers or to the teacher's.
struct ExerciseChapter: Sendable {
  let number: Int
  let exercises: @Sendable () -> [Exercise]
  let solutions: @Sendable () -> [Exercise]
}

/// One line per chapter with exercises that check themselves.
let exerciseChapters: [ExerciseChapter] = [
  ExerciseChapter(
    number: 1, exercises: { chapter01Exercises(Chapter01Exercises.answers) },
    solutions: { chapter01Exercises(Chapter01Solutions.answers) }),
  ExerciseChapter(
    number: 2, exercises: { chapter02Exercises(Chapter02Exercises.answers) },
    solutions: { chapter02Exercises(Chapter02Solutions.answers) }),
  ExerciseChapter(
    number: 3, exercises: { chapter03Exercises(Chapter03Exercises.answers) },
    solutions: { chapter03Exercises(Chapter03Solutions.answers) }),
  ExerciseChapter(
    number: 4, exercises: { chapter04Exercises(Chapter04Exercises.answers) },
    solutions: { chapter04Exercises(Chapter04Solutions.answers) }),
  ExerciseChapter(
    number: 5, exercises: { chapter05Exercises(Chapter05Exercises.answers) },
    solutions: { chapter05Exercises(Chapter05Solutions.answers) }),
  ExerciseChapter(
    number: 6, exercises: { chapter06Exercises(Chapter06Exercises.answers) },
    solutions: { chapter06Exercises(Chapter06Solutions.answers) }),
  ExerciseChapter(
    number: 7, exercises: { chapter07Exercises(Chapter07Exercises.answers) },
    solutions: { chapter07Exercises(Chapter07Solutions.answers) }),
  ExerciseChapter(
    number: 8, exercises: { chapter08Exercises(Chapter08Exercises.answers) },
    solutions: { chapter08Exercises(Chapter08Solutions.answers) }),
  ExerciseChapter(
    number: 9, exercises: { chapter09Exercises(Chapter09Exercises.answers) },
    solutions: { chapter09Exercises(Chapter09Solutions.answers) }),
  ExerciseChapter(
    number: 10, exercises: { chapter10Exercises(Chapter10Exercises.answers) },
    solutions: { chapter10Exercises(Chapter10Solutions.answers) }),
  ExerciseChapter(
    number: 11, exercises: { chapter11Exercises(Chapter11Exercises.answers) },
    solutions: { chapter11Exercises(Chapter11Solutions.answers) }),
  ExerciseChapter(
    number: 12, exercises: { chapter12Exercises(Chapter12Exercises.answers) },
    solutions: { chapter12Exercises(Chapter12Solutions.answers) }),
  ExerciseChapter(
    number: 13, exercises: { chapter13Exercises(Chapter13Exercises.answers) },
    solutions: { chapter13Exercises(Chapter13Solutions.answers) }),
  ExerciseChapter(
    number: 14, exercises: { chapter14Exercises(Chapter14Exercises.answers) },
    solutions: { chapter14Exercises(Chapter14Solutions.answers) }),
]
