#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a child process printed and how it ended.
struct ChildResult {
  enum Ending {
    case exited(Int32)
    case signalled(Int32)
    case timedOut
  }
  let output: String
  let errorOutput: String
  let ending: Ending
}

/// Runs `executable` with `arguments` (argv[1...]), collects its standard output and standard error
/// through two pipes (read together, so that neither can fill up and block the child) and kills it
/// (SIGKILL) when it has not finished within `timeLimit` seconds.
func runChild(executable: String, arguments: [String], timeLimit: Double) -> ChildResult {
  var outputPipe: [Int32] = [0, 0]
  var errorPipe: [Int32] = [0, 0]
  if pipe(&outputPipe) != 0 || pipe(&errorPipe) != 0 {
    return ChildResult(output: "", errorOutput: "cannot create a pipe", ending: .exited(-1))
  }

  var actions = posix_spawn_file_actions_t()
  posix_spawn_file_actions_init(&actions)
  defer { posix_spawn_file_actions_destroy(&actions) }
  posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
  posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2)
  for descriptor in outputPipe + errorPipe { posix_spawn_file_actions_addclose(&actions, descriptor) }

  let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
  defer { for pointer in argv { free(pointer) } }
  var pid: pid_t = 0
  let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
  close(outputPipe[1])
  close(errorPipe[1])
  if spawned != 0 {
    close(outputPipe[0])
    close(errorPipe[0])
    return ChildResult(output: "", errorOutput: "cannot start \(executable)", ending: .exited(-1))
  }

  let deadline = monotonicSeconds() + timeLimit
  var collected: [[UInt8]] = [[], []]
  var open = [outputPipe[0], errorPipe[0]]
  var buffer = [UInt8](repeating: 0, count: 4096)
  var timedOut = false
  while open.contains(where: { $0 >= 0 }) {
    let remaining = deadline - monotonicSeconds()
    if remaining <= 0 {
      timedOut = true
      break
    }
    // poll ignores negative descriptors: a closed pipe stays in its slot.
    var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(min(remaining * 1000, 1000).rounded(.up)))
    if ready <= 0 { continue }
    for slot in descriptors.indices where descriptors[slot].revents != 0 {
      let count = buffer.withUnsafeMutableBytes { read(open[slot], $0.baseAddress, $0.count) }
      if count > 0 {
        collected[slot] += buffer[0..<count]
      } else if count == 0 || errno != EINTR {
        close(open[slot])
        open[slot] = -1
      }
    }
  }
  for descriptor in open where descriptor >= 0 { close(descriptor) }

  // Both pipes are closed (or time ran out); the child still gets until the deadline to exit.
  var status: Int32 = 0
  while !timedOut {
    let waited = waitpid(pid, &status, WNOHANG)
    if waited == pid { break }
    if waited < 0 && errno != EINTR { break }
    if monotonicSeconds() >= deadline {
      timedOut = true
      break
    }
    usleep(2_000)
  }
  if timedOut {
    kill(pid, SIGKILL)
    waitpid(pid, &status, 0)
  }
  let signal = status & 0x7f
  let ending: ChildResult.Ending =
    timedOut ? .timedOut : signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
  return ChildResult(
    output: String(decoding: collected[0], as: UTF8.self), errorOutput: String(decoding: collected[1], as: UTF8.self),
    ending: ending)
}

func monotonicSeconds() -> Double {
  var now = timespec()
  clock_gettime(CLOCK_MONOTONIC, &now)
  return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// "signal 4, SIGILL: a Swift runtime trap, e.g. an index out of range, an arithmetic overflow or a
/// force-unwrapped nil": what a student needs to find the bug.
func describeSignal(_ signal: Int32, errorOutput: String = "") -> String {
  // A debug build's runtime prints "...: Fatal error: Index out of range"; in both debug and release
  // the backtrace's first frame with a real source location is the line that trapped (in a scratch
  // package, the copy of the student's file, whose lines are the student's).
  let lines = errorOutput.split(separator: "\n")
  var location: String?
  for line in lines where !line.contains("<compiler-generated>") {
    if let at = line.firstRange(of: " at /") {
      location = String(line[line.index(at.lowerBound, offsetBy: 4)...].split(separator: "/").last ?? "")
      break
    }
  }
  let place = location.map { " at \($0)" } ?? ""
  if let fatal = lines.first(where: { $0.contains("Fatal error") }) {
    return String(fatal[fatal.firstRange(of: "Fatal error")!.lowerBound...]) + place + ", signal \(signal)"
  }
  return (location.map { "a trap at \($0): " } ?? "") + describeSignalOnly(signal)
}

func describeSignalOnly(_ signal: Int32) -> String {
  let name = strsignal(signal).map { String(cString: $0) } ?? "unknown signal"
  switch signal {
  case SIGILL, SIGTRAP:
    return "signal \(signal), \(name): a Swift runtime trap, e.g. an index out of range, an arithmetic "
      + "overflow, a force-unwrapped nil or a failed precondition"
  case SIGSEGV, SIGBUS: return "signal \(signal), \(name): a bad memory access, often an endless recursion"
  case SIGABRT: return "signal \(signal), \(name): the program aborted, e.g. a fatalError"
  default: return "signal \(signal), \(name)"
  }
}
