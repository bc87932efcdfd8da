// Chapter 7's exercises that check themselves: 6, 7 and 8 of the lesson's list. Replace each
// `throw NotDoneYet()` by your code, then run `make check-7`; it prints one line per exercise.
// The checker compares with the definitions of `AccuracyMatrix` (Training library) and with the
// parameter count of a mixture the library builds: write yours from the formulas, without them.
import Chapter07Checks
import Exercises

/// Exercise 6. `accuracies[i][j]` is the test accuracy on task j after training tasks 0...i in
/// order: T rows and T columns, T >= 2, every task trained. Return the forgetting of Chaudhry et al.
/// (2018): for each earlier task j < T - 1, how far it fell from its best accuracy before the last
/// task, averaged over those T - 1 tasks.
///
///     F = mean over j < T - 1 of (max over i < T - 1 of R[i][j]) - R[T-1][j]
func forgetting(accuracies: [[Double]]) throws -> Double {
  throw NotDoneYet()
}

/// Exercise 7. Same matrix as exercise 6. Return the backward transfer of Lopez-Paz and Ranzato
/// (2017): for each earlier task j < T - 1, its accuracy at the end minus its accuracy just after it
/// was learned, averaged over those T - 1 tasks. Negative when later tasks hurt earlier ones.
///
///     BWT = mean over j < T - 1 of R[T-1][j] - R[j][j]
func backwardTransfer(accuracies: [[Double]]) throws -> Double {
  throw NotDoneYet()
}

/// Exercise 8. Return the number of parameters (weights and biases) of the chapter's task-gated
/// mixture for `tasks` tasks of `expertsPerTask` experts each: every expert is an MLP
/// inputSize-hiddenSize-outputSize with biases; the `TaskGate` has one score row (weights and a bias)
/// per expert and a task classifier, one row (weights and a bias) per task.
func taskGatedParameterCount(
  tasks: Int, expertsPerTask: Int, inputSize: Int, hiddenSize: Int, outputSize: Int
) throws -> Int {
  throw NotDoneYet()
}

/// Hands your functions to the checker: keep this line as it is.
public let answers = Chapter07Answers(
  forgetting: forgetting, backwardTransfer: backwardTransfer, taskGatedParameterCount: taskGatedParameterCount)
