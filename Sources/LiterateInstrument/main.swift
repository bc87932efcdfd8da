// literate-instrument <main.swift> <output.swift>
//
// Run by LiterateChapterPlugin at build time: writes the copy of a chapter's main.swift that is compiled,
// with a cell-marker call at the start of each `// %%` line and the same line numbers (see
// LessonRendering.Instrumentation).
import Foundation
import LessonRendering

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
  FileHandle.standardError.write(Data("usage: literate-instrument <main.swift> <output.swift>\n".utf8))
  exit(2)
}
let (input, output) = (arguments[1], arguments[2])
guard let data = FileManager.default.contents(atPath: input) else {
  FileHandle.standardError.write(Data("error: cannot read \(input)\n".utf8))
  exit(1)
}
let instrumented = Instrumentation.instrument(String(decoding: data, as: UTF8.self), originalPath: input)
// SwiftPM reruns this command whenever it relinks this tool, which it does when another product was built
// last; rewriting an unchanged copy would make the compiler rebuild the chapter every time.
if let existing = FileManager.default.contents(atPath: output), existing == Data(instrumented.utf8) {
  exit(0)
}
do {
  try Data(instrumented.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
} catch {
  FileHandle.standardError.write(Data("error: cannot write \(output): \(error.localizedDescription)\n".utf8))
  exit(1)
}
