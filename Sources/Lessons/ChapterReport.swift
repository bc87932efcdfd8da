import Support

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension Chapter {
  /// Records a key result of the run in `<figures folder>/report.json`, the machine-readable twin of the
  /// printed output that tests and the prose check read:
  ///
  ///     print("test accuracy: \(format(accuracy, decimals: 3))")
  ///     chapter.report("test accuracy", accuracy, decimals: 3)
  ///
  /// The file is rewritten, atomically, on every call, so a run that stops later keeps what it reported.
  /// It holds `chapter`, `seed`, `quick` and `results` (the reported values by key); keys are sorted, so
  /// the same run gives the same bytes. A number is written with the digits it is printed with. An empty
  /// key, a key reported twice or a failed write stops the chapter with one error line and status 1.
  public func report(_ key: String, _ value: Double, decimals: Int) {
    guard value.isFinite else {
      // JSON has no NaN: the printed spelling keeps the value readable and the file valid.
      record(key, .string(NumberFormat.decimal(value, decimals: decimals)))
      return
    }
    record(key, .number(NumberFormat.decimal(value, decimals: decimals)))
  }

  /// Records a Float result with `decimals` digits after the point (see the `Double` overload).
  public func report(_ key: String, _ value: Float, decimals: Int) {
    report(key, Double(value), decimals: decimals)
  }

  /// Records a count or another whole number (see `report(_:_:decimals:)`).
  public func report(_ key: String, _ value: Int) { record(key, .integer(value)) }

  /// Records whole numbers, such as tokens per expert (see `report(_:_:decimals:)`).
  public func report(_ key: String, _ values: [Int]) { record(key, .array(values.map { .integer($0) })) }

  /// Records numbers with `decimals` digits after the point each (see `report(_:_:decimals:)`).
  public func report(_ key: String, _ values: [Double], decimals: Int) {
    record(
      key,
      .array(
        values.map {
          $0.isFinite
            ? .number(NumberFormat.decimal($0, decimals: decimals))
            : .string(NumberFormat.decimal($0, decimals: decimals))
        }))
  }

  /// Records Float numbers with `decimals` digits after the point each.
  public func report(_ key: String, _ values: [Float], decimals: Int) {
    report(key, values.map(Double.init), decimals: decimals)
  }

  /// Records a yes/no finding, such as whether the losses fell (see `report(_:_:decimals:)`).
  public func report(_ key: String, _ value: Bool) { record(key, .bool(value)) }

  /// Records a word or label, such as the expert a point goes to (see `report(_:_:decimals:)`).
  public func report(_ key: String, _ value: String) { record(key, .string(value)) }

  /// `<figures folder>/report.json`.
  public var reportPath: String { FiguresFolder.joined(figuresFolder, "report.json") }

  private func record(_ key: String, _ value: JSONText) {
    do {
      try results.add(key, value)
      try AtomicFile.write(reportText() + "\n", to: reportPath)
    } catch let error as ReportError {
      lessonFailure(error.description)
    } catch let error as FileError {
      lessonFailure(error.description)
    } catch {
      lessonFailure("cannot write the report: \(error)")
    }
  }

  /// The report as written to `report.json`, without the final newline.
  func reportText() -> String {
    JSONText.object([
      "chapter": .integer(number),
      "seed": .number(String(seed)),
      "quick": .bool(quick),
      "results": .object(results.snapshot()),
    ]).serialized()
  }
}

/// A report call the chapter got wrong.
struct ReportError: Error, CustomStringConvertible, Equatable {
  let message: String
  var description: String { message }
}

/// The values a chapter has reported so far. A reference, so that copies of a `Chapter` add to one
/// report; the lock keeps a report call from a task from tearing the dictionary.
final class ReportResults: @unchecked Sendable {
  private var values: [String: JSONText] = [:]
  private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

  init() { pthread_mutex_init(lock, nil) }

  deinit {
    pthread_mutex_destroy(lock)
    lock.deallocate()
  }

  /// Adds `key`; a key given twice is a mistake in the chapter (two results would claim one name).
  func add(_ key: String, _ value: JSONText) throws(ReportError) {
    guard !key.isEmpty else { throw ReportError(message: "report key must not be empty") }
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    guard values[key] == nil else { throw ReportError(message: "report key '\(key)' is reported twice") }
    values[key] = value
  }

  func snapshot() -> [String: JSONText] {
    pthread_mutex_lock(lock)
    defer { pthread_mutex_unlock(lock) }
    return values
  }
}
