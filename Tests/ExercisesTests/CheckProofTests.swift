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
import Testing

/// For every exercise of every chapter: the untouched stub is "not done yet", the teacher's solution
/// passes, and each deliberately wrong answer is rejected with the message its fixture states.
@Suite struct CheckProofTests {
  @Test func chapter01() {
    prove(
      chapter: 1, checks: chapter01Exercises, Chapter01Exercises.answers, Chapter01Solutions.answers,
      Chapter01Solutions.wrongAnswers)
  }
  @Test func chapter02() {
    prove(
      chapter: 2, checks: chapter02Exercises, Chapter02Exercises.answers, Chapter02Solutions.answers,
      Chapter02Solutions.wrongAnswers)
  }
  @Test func chapter03() {
    prove(
      chapter: 3, checks: chapter03Exercises, Chapter03Exercises.answers, Chapter03Solutions.answers,
      Chapter03Solutions.wrongAnswers)
  }
  @Test func chapter04() {
    prove(
      chapter: 4, checks: chapter04Exercises, Chapter04Exercises.answers, Chapter04Solutions.answers,
      Chapter04Solutions.wrongAnswers)
  }
  @Test func chapter05() {
    prove(
      chapter: 5, checks: chapter05Exercises, Chapter05Exercises.answers, Chapter05Solutions.answers,
      Chapter05Solutions.wrongAnswers)
  }
  @Test func chapter06() {
    prove(
      chapter: 6, checks: chapter06Exercises, Chapter06Exercises.answers, Chapter06Solutions.answers,
      Chapter06Solutions.wrongAnswers)
  }
  @Test func chapter07() {
    prove(
      chapter: 7, checks: chapter07Exercises, Chapter07Exercises.answers, Chapter07Solutions.answers,
      Chapter07Solutions.wrongAnswers)
  }
  @Test func chapter08() {
    prove(
      chapter: 8, checks: chapter08Exercises, Chapter08Exercises.answers, Chapter08Solutions.answers,
      Chapter08Solutions.wrongAnswers)
  }
  @Test func chapter09() {
    prove(
      chapter: 9, checks: chapter09Exercises, Chapter09Exercises.answers, Chapter09Solutions.answers,
      Chapter09Solutions.wrongAnswers)
  }
  @Test func chapter10() {
    prove(
      chapter: 10, checks: chapter10Exercises, Chapter10Exercises.answers, Chapter10Solutions.answers,
      Chapter10Solutions.wrongAnswers)
  }
  @Test func chapter11() {
    prove(
      chapter: 11, checks: chapter11Exercises, Chapter11Exercises.answers, Chapter11Solutions.answers,
      Chapter11Solutions.wrongAnswers)
  }

  @Test func chapter12() {
    prove(
      chapter: 12, checks: chapter12Exercises, Chapter12Exercises.answers, Chapter12Solutions.answers,
      Chapter12Solutions.wrongAnswers)
  }

  @Test func chapter13() {
    prove(
      chapter: 13, checks: chapter13Exercises, Chapter13Exercises.answers, Chapter13Solutions.answers,
      Chapter13Solutions.wrongAnswers)
  }

  @Test func chapter14() {
    prove(
      chapter: 14, checks: chapter14Exercises, Chapter14Exercises.answers, Chapter14Solutions.answers,
      Chapter14Solutions.wrongAnswers)
  }
}

func prove<Answers>(
  chapter: Int, checks: (Answers) -> [Exercise], _ stubs: Answers, _ solutions: Answers,
  _ wrongAnswers: [WrongAnswer<Answers>]
) {
  let exercises = checks(solutions)
  let numbers = exercises.map(\.number)
  #expect(exercises.count >= 2, "chapter \(chapter) has fewer than two checked exercises")
  #expect(Set(numbers).count == numbers.count, "chapter \(chapter) numbers two exercises alike: \(numbers)")

  for exercise in checks(stubs) {
    #expect(
      checkInProcess(exercise) == .notDone,
      """
      chapter \(chapter), exercise \(exercise.number): the stub should report "not done yet" \
      (Chapters/*/Exercises.swift must stay the untouched stub in the repository)
      """)
  }
  for exercise in exercises {
    let outcome = checkInProcess(exercise)
    #expect(outcome == .passed, "chapter \(chapter), exercise \(exercise.number): the solution gives \(outcome)")
  }
  for number in numbers {
    #expect(
      wrongAnswers.contains { $0.exercise == number },
      "chapter \(chapter), exercise \(number) has no wrong-answer fixture")
  }
  for wrong in wrongAnswers {
    guard let exercise = checks(wrong.answers).first(where: { $0.number == wrong.exercise }) else {
      Issue.record("chapter \(chapter): a wrong answer names exercise \(wrong.exercise), which does not exist")
      continue
    }
    let outcome = checkInProcess(exercise)
    guard case .notYet(let message) = outcome else {
      Issue.record("chapter \(chapter), exercise \(wrong.exercise): \"\(wrong.mistake)\" is not rejected: \(outcome)")
      continue
    }
    #expect(
      message.contains(wrong.expectedMessage),
      "chapter \(chapter), exercise \(wrong.exercise) (\(wrong.mistake)): the message is \"\(message)\"")
  }
}
