// Chapter 12's exercises that check themselves: 5 and 6 of the lesson's list. Replace each
// `throw NotDoneYet()` by your code, then run `make check-12`; it prints one line per exercise.
// The checker compares with the library (the routing records of `MixtureOfExperts.hierarchy`, and a
// two-level `MixtureOfExperts`): write yours from the rules, without calling them.
import Chapter12Checks
import Exercises

/// Exercise 5. A tree of mixtures: `branching[l]` experts under each gate of level l (level 0 is the
/// top gate), each gate of level l a top-`k[l]` gate, sparse dispatch (an expert not chosen is not
/// run). For one input, return how many leaves it reaches and how many gates are evaluated on it,
/// the top gate included. `TreeEvaluations(leaves:gates:)` holds the two counts.
func evaluationsPerInput(branching: [Int], k: [Int]) throws -> TreeEvaluations {
  throw NotDoneYet()
}

/// Exercise 6. A two-level mixture, y(x) = sum_i g_i(x) sum_j g_ij(x) E_ij(x). For one input, `top`
/// holds the top gate's probabilities g_i over the groups and `groups[i]` group i's sub-gate
/// probabilities g_ij over its experts (groups may differ in size). Return the weight of every leaf
/// in the output, leaf (0, 0) first, then (0, 1), ..., then group 1's: the weights of the flat
/// mixture that gives the same y.
func leafWeights(top: [Float], groups: [[Float]]) throws -> [Float] {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter12Answers(evaluationsPerInput: evaluationsPerInput, leafWeights: leafWeights)
