import Glibc
import Testing

@testable import Lessons

@Suite("Figures folder")
struct FiguresFolderTests {
  /// A new empty folder under /tmp, removed by the caller.
  func temporaryFolder() -> String {
    var template = Array("/tmp/lessons-tests-XXXXXX".utf8CString)
    let path = template.withUnsafeMutableBufferPointer { String(cString: mkdtemp($0.baseAddress!)!) }
    return path
  }

  func isDirectory(_ path: String) -> Bool {
    var status = stat()
    return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
  }

  @Test func createsMissingParentsAndLeavesNoProbe() throws {
    let root = temporaryFolder()
    defer { _ = try? removeTree(root) }
    let folder = root + "/a/b/c/"
    try FiguresFolder.prepare(folder)
    #expect(isDirectory(root + "/a/b/c"))
    #expect(try listFolder(root + "/a/b/c").isEmpty)
    try FiguresFolder.prepare(folder)  // existing folders are fine
  }

  @Test func refusesAPathUnderARegularFile() throws {
    let root = temporaryFolder()
    defer { _ = try? removeTree(root) }
    let file = root + "/plain"
    close(open(file, O_WRONLY | O_CREAT, 0o644))
    #expect(throws: FiguresFolderError(folder: file + "/figures", reason: "'\(file)' exists and is not a folder")) {
      try FiguresFolder.prepare(file + "/figures")
    }
  }

  @Test func refusesAFolderThatCannotBeCreated() {
    #expect(throws: FiguresFolderError.self) { try FiguresFolder.prepare("/proc/nope") }
    #expect(throws: FiguresFolderError.self) { try FiguresFolder.prepare("") }
  }

  @Test func errorNamesTheFolder() {
    let error = FiguresFolderError(folder: "/proc/nope", reason: "No such file or directory")
    #expect(error.description == "cannot write figures to '/proc/nope': No such file or directory")
  }

  @Test func joinsWithOneSlash() {
    #expect(FiguresFolder.joined("Figures/chapter-01", "loss.png") == "Figures/chapter-01/loss.png")
    #expect(FiguresFolder.joined("out/", "loss.png") == "out/loss.png")
  }
}

/// The names in a folder, without `.` and `..`.
func listFolder(_ path: String) throws -> [String] {
  guard let directory = opendir(path) else { throw FiguresFolderError(folder: path, reason: "cannot list") }
  defer { closedir(directory) }
  var names: [String] = []
  while let entry = readdir(directory) {
    let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
    if name != "." && name != ".." { names.append(name) }
  }
  return names
}

/// Removes a folder and everything in it.
func removeTree(_ path: String) throws {
  var status = stat()
  guard lstat(path, &status) == 0 else { return }
  if (status.st_mode & S_IFMT) == S_IFDIR {
    for name in try listFolder(path) { try removeTree(path + "/" + name) }
    rmdir(path)
  } else {
    unlink(path)
  }
}
