// Chapter 8's exercises that check themselves: 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your code, then run `make check-8`; it prints one line per exercise.
// The checker compares with the library (`TopKGate`, the selection of `ExpertChoiceRouter`, the
// multiply-adds of `ComputeCost`): write yours from the rules, without calling them.
import Chapter08Checks
import Exercises

/// Exercise 6. Token choice (Shazeer et al. 2017): `scores[n][e]` is the gate's score of expert e
/// for token n ([N, E]); each token picks the k experts with the largest scores (ties go to the
/// lower expert index). Return the load (how many tokens each expert computes), the number of tokens
/// that get no expert and the number that get more than one.
func tokenChoice(scores: [[Float]], k: Int) throws -> RoutingCounts {
  throw NotDoneYet()
}

/// Exercise 7. Expert choice (Zhou et al. 2022) on the same kind of scores: each expert e picks the
/// `capacity` tokens with the largest scores in its column `scores[...][e]` (ties go to the lower
/// token index). Return the same three counts as in exercise 6: now the load is fixed, and a token
/// can be picked by no expert or by several.
func expertChoice(scores: [[Float]], capacity: Int) throws -> RoutingCounts {
  throw NotDoneYet()
}

/// Exercise 8. A mixture of `experts` experts inputSize-hiddenSize-outputSize (two linear layers)
/// with a top-k gate (one linear score per expert) and sparse dispatch. Return the multiply-adds of
/// the matrix products per input: the gate scores every expert, and only the k chosen experts run.
/// Biases and the softmax cost no multiply-adds here.
func sparseMultiplyAdds(experts: Int, k: Int, inputSize: Int, hiddenSize: Int, outputSize: Int) throws -> Int {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter08Answers(
  tokenChoice: tokenChoice, expertChoice: expertChoice, sparseMultiplyAdds: sparseMultiplyAdds)
