import Datasets

/// Loading the bundled data sets from their gzip resources into tensors: what a chapter pays before it
/// trains (its `--quick` run has 3 s in all). A loader that fails stops the benchmark with its error.
enum DataLoadingWorkload {
  @Sendable static func run(threads: Int, quick: Bool) -> BenchmarkResults {
    var results = BenchmarkResults()
    let tag = "T\(threads)"
    let repeats = quick ? 3 : 9
    func timed(_ name: String, _ description: String, _ load: () throws -> Void) {
      do {
        try load()
      } catch {
        BenchmarkOptions.fail("DATA: \(name): \(error)")
      }
      results.add(measure("DATA.\(name).load_ms.\(tag)", description, warmup: 1, repeats: repeats) { try! load() })
    }
    timed("mnist5k", "DATA: MNIST-5k, 5000 x 784") { _ = try MNIST5k.load() }
    timed("digits", "DATA: digits, 1797 x 64") { _ = try Digits.load() }
    timed("movie_sentences", "DATA: movie sentences, 10605") { _ = try MovieSentences.load() }
    timed("word_languages", "DATA: word languages, 20000") { _ = try WordLanguages.load() }
    return results
  }
}
