import Testing
import Training

@Suite struct AccuracyMatrixTests {
  /// R = [[0.9 0.1 0.2], [0.6 0.8 0.1], [0.5 0.7 0.9]].
  /// A = (0.5 + 0.7 + 0.9) / 3 = 0.7; F = ((0.9 - 0.5) + (0.8 - 0.7)) / 2 = 0.25;
  /// BWT = ((0.5 - 0.9) + (0.7 - 0.8)) / 2 = -0.25.
  @Test func threeTasksByHand() throws {
    let matrix = try AccuracyMatrix(rows: [[0.9, 0.1, 0.2], [0.6, 0.8, 0.1], [0.5, 0.7, 0.9]])
    #expect(isClose(matrix.averageAccuracy!, 0.7))
    #expect(isClose(matrix.forgetting!, 0.25))
    #expect(isClose(matrix.backwardTransfer!, -0.25))
    #expect(matrix[afterTask: 1, onTask: 0] == 0.6)
  }

  /// Task 0 peaks after task 1 (0.6 > 0.5), so forgetting measures from 0.6 while backward transfer
  /// measures from R[0][0]: F = ((0.6 - 0.4) + (0.9 - 0.8)) / 2 = 0.15, BWT = (-0.1 - 0.1) / 2 = -0.1.
  @Test func forgettingMeasuresFromTheBestEarlierAccuracyNotTheFirst() throws {
    let matrix = try AccuracyMatrix(rows: [[0.5, 0, 0], [0.6, 0.9, 0], [0.4, 0.8, 0.7]])
    #expect(isClose(matrix.forgetting!, 0.15))
    #expect(isClose(matrix.backwardTransfer!, -0.1))
    #expect(isClose(matrix.averageAccuracy!, (0.4 + 0.8 + 0.7) / 3))
  }

  /// Partway (two of three tasks): A = (0.6 + 0.8) / 2, F = 0.9 - 0.6, BWT = 0.6 - 0.9.
  @Test func partwayThroughTheSequenceOnlyTrainedTasksCount() throws {
    var matrix = try AccuracyMatrix(taskCount: 3)
    #expect(matrix.averageAccuracy == nil)
    try matrix.record([0.9, 0.1, 0.2])
    #expect(matrix.averageAccuracy == 0.9 && matrix.forgetting == nil && matrix.backwardTransfer == nil)
    try matrix.record([0.6, 0.8, 0.1])
    #expect(isClose(matrix.averageAccuracy!, 0.7))
    #expect(isClose(matrix.forgetting!, 0.3))
    #expect(isClose(matrix.backwardTransfer!, -0.3))
    #expect(matrix.trainedTaskCount == 2)
  }

  @Test func rowsOfTheWrongLengthOrTooManyAreRefused() throws {
    var matrix = try AccuracyMatrix(taskCount: 2)
    do {
      try matrix.record([0.5])
      Issue.record("a short row was accepted")
    } catch {
      #expect("\(error)" == "AccuracyMatrix: row 0 = 1 accuracies must have one per task (2)")
    }
    try matrix.record([0.5, 0.5])
    try matrix.record([0.5, 0.5])
    #expect(throws: TrainingError.self) { try matrix.record([0.5, 0.5]) }
    #expect(throws: TrainingError.self) { try AccuracyMatrix(taskCount: 0) }
  }
}
