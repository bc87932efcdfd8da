import Testing

@testable import Support

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A fresh folder under /tmp for one test.
private func temporaryFolder() -> String {
  var template = Array("/tmp/support-tests-XXXXXX".utf8CString)
  let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
  precondition(made != nil, "mkdtemp failed")
  return String(cString: made!)
}

@Suite("Atomic files")
struct AtomicFileTests {
  @Test func writeThenReadGivesTheSameBytes() throws {
    let path = temporaryFolder() + "/data.bin"
    let bytes: [UInt8] = [0, 1, 2, 255, 10, 13]
    try AtomicFile.write(bytes, to: path)
    #expect(try AtomicFile.readBytes(path) == bytes)
    try AtomicFile.write("second", to: path)
    #expect(try AtomicFile.readText(path) == "second")
  }

  @Test func writeCreatesMissingParentFolders() throws {
    let path = temporaryFolder() + "/a/b/c/report.json"
    try AtomicFile.write("{}", to: path)
    #expect(try AtomicFile.readText(path) == "{}")
  }

  @Test func writeLeavesNoTemporaryFileBehind() throws {
    let folder = temporaryFolder()
    try AtomicFile.write("x", to: folder + "/only.txt")
    let directory = opendir(folder)!
    defer { closedir(directory) }
    var names: [String] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      if name != "." && name != ".." { names.append(name) }
    }
    #expect(names == ["only.txt"])
  }

  @Test func aFileInTheWayOfAFolderIsNamed() throws {
    let folder = temporaryFolder()
    try AtomicFile.write("x", to: folder + "/plain")
    #expect(
      throws: FileError(
        path: folder + "/plain/report.json", reason: "'\(folder)/plain' exists and is not a folder", isWrite: true)
    ) {
      try AtomicFile.write("y", to: folder + "/plain/report.json")
    }
  }

  @Test func readingAMissingFileSaysWhy() {
    let path = temporaryFolder() + "/missing"
    #expect(throws: FileError(path: path, reason: "No such file or directory", isWrite: false)) {
      try AtomicFile.readBytes(path)
    }
    #expect(
      FileError(path: path, reason: "No such file or directory", isWrite: false).description
        == "cannot read \(path): No such file or directory")
  }

  @Test func folderOfAPath() {
    #expect(AtomicFile.folder(of: "a/b.png") == "a")
    #expect(AtomicFile.folder(of: "b.png") == ".")
    #expect(AtomicFile.folder(of: "/b.png") == "/")
  }

  @Test func systemErrorNamesTheCode() {
    #expect(SystemError.describe(ENOENT) == "No such file or directory")
  }
}

@Suite("Atomic files without folder creation")
struct AtomicFileWithoutFoldersTests {
  @Test func aMissingFolderIsAnErrorWhenFoldersAreNotCreated() {
    let path = temporaryFolder() + "/missing/file.txt"
    #expect(throws: FileError(path: path, reason: "No such file or directory", isWrite: true)) {
      try AtomicFile.write("x", to: path, creatingFolders: false)
    }
  }
}
