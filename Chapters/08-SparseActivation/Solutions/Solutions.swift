// The teacher's answers to chapter 8's checked exercises (`make check-8 SOLUTIONS=1`).
import Chapter08Checks

/// The indices of the `count` largest of `values`, ties to the lower index.
func largest(_ count: Int, of values: [Float]) -> [Int] {
  Array(values.indices.sorted { values[$0] > values[$1] || (values[$0] == values[$1] && $0 < $1) }.prefix(count))
}

/// The three counts of an assignment given as, for each token, the experts that compute it.
func counts(expertsPerToken: [[Int]], expertCount: Int) -> RoutingCounts {
  var load = [Int](repeating: 0, count: expertCount)
  for experts in expertsPerToken { for expert in experts { load[expert] += 1 } }
  return RoutingCounts(
    load: load, tokensWithNoExpert: expertsPerToken.filter(\.isEmpty).count,
    tokensWithSeveralExperts: expertsPerToken.filter { $0.count > 1 }.count)
}

func tokenChoice(scores: [[Float]], k: Int) throws -> RoutingCounts {
  counts(expertsPerToken: scores.map { largest(k, of: $0) }, expertCount: scores[0].count)
}

func expertChoice(scores: [[Float]], capacity: Int) throws -> RoutingCounts {
  let expertCount = scores[0].count
  var expertsPerToken = [[Int]](repeating: [], count: scores.count)
  for expert in 0..<expertCount {
    for token in largest(capacity, of: scores.map { $0[expert] }) { expertsPerToken[token].append(expert) }
  }
  return counts(expertsPerToken: expertsPerToken, expertCount: expertCount)
}

func sparseMultiplyAdds(experts: Int, k: Int, inputSize: Int, hiddenSize: Int, outputSize: Int) throws -> Int {
  inputSize * experts + k * (inputSize * hiddenSize + hiddenSize * outputSize)
}

public let answers = Chapter08Answers(
  tokenChoice: tokenChoice, expertChoice: expertChoice, sparseMultiplyAdds: sparseMultiplyAdds)
