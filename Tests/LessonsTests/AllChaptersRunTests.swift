import Testing

@testable import Lessons

/// `make chapters ARGS="..."` gives every chapter the same options: each chapter keeps those that apply
/// to it, notes the others, and writes its figures into its own subfolder.
@Suite("One set of options for every chapter")
struct AllChaptersRunTests {
  let untrained = ChapterDescription(number: 3, title: "Gate", abstract: "", defaultSeed: 0, defaultEpochs: nil)
  let declaring = ChapterDescription(
    number: 8, title: "Sparse", abstract: "", defaultSeed: 0, defaultEpochs: 40,
    declaredOptions: [.integer("experts", default: 16, in: 2...64, help: "Number of experts.")])

  @Test func epochsAreLeftOutOfAChapterThatDoesNotTrain() throws {
    let adapted = AllChaptersRun.adapt(["--quick", "--epochs", "5", "--seed=3"], for: untrained)
    #expect(adapted.arguments == ["--quick", "--seed", "3"])
    #expect(adapted.notes == ["chapter 3 does not train: --epochs left out"])
    // What is left parses.
    _ = try ChapterOptions.parse(adapted.arguments, for: untrained)
  }

  @Test func aChapterKeepsItsOwnOptionsAndTheOthersLeaveThemOut() throws {
    let arguments = ["--experts", "32", "--epochs=5"]
    let own = AllChaptersRun.adapt(arguments, for: declaring)
    #expect(own.arguments == ["--experts", "32", "--epochs", "5"])
    #expect(own.notes.isEmpty)
    _ = try ChapterOptions.parse(own.arguments, for: declaring)

    let other = AllChaptersRun.adapt(arguments, for: untrained)
    #expect(other.arguments.isEmpty)
    #expect(
      other.notes == [
        "chapter 3 has no option --experts: left out", "chapter 3 does not train: --epochs left out",
      ])
  }

  @Test func figuresGoToOneSubfolderPerChapter() {
    #expect(
      AllChaptersRun.adapt(["--figures", "/tmp/all"], for: untrained).arguments == ["--figures", "/tmp/all/chapter-03"])
    #expect(AllChaptersRun.adapt(["--figures=out/"], for: declaring).arguments == ["--figures", "out/chapter-08"])
  }

  @Test func anUnknownFlagWithoutAValueDoesNotSwallowTheNextOption() {
    let adapted = AllChaptersRun.adapt(["--verbose", "--quick"], for: untrained)
    #expect(adapted.arguments == ["--quick"])
    #expect(adapted.notes == ["chapter 3 has no option --verbose: left out"])
  }
}
