import NeuralNetworks
import Testing
import Training

#if canImport(Glibc)
  import Glibc
#endif

@Suite struct TrainingHistoryTests {
  let history = TrainingHistory(
    epochs: [
      EpochRecord(
        epoch: 0, trainingLoss: 1.5, learningRate: 0.1, gradientNorm: 2, validation: ["loss": 1.25, "accuracy": 0.5],
        expertUtilization: [0.75, 0.25]),
      EpochRecord(epoch: 1, trainingLoss: 0.5, learningRate: 0.05, validation: ["accuracy": 0.875]),
    ], bestEpoch: 1)

  @Test func csvHasOneColumnPerQuantityAndEmptyFieldsForMissingValues() {
    #expect(
      history.csv() == """
        epoch,training_loss,learning_rate,gradient_norm,accuracy,loss,utilization_expert_0,utilization_expert_1
        0,1.5,0.1,2.0,0.5,1.25,0.75,0.25
        1,0.5,0.05,,0.875,,,

        """)
  }

  @Test func writeCSVWritesTheSameTextAtomically() throws {
    let path = temporaryPath("history.csv")
    defer { unlink(path) }
    try history.writeCSV(to: path)
    #expect(String(decoding: try FileAccess.readBytes(path), as: UTF8.self) == history.csv())
    // A missing folder is created; a folder that would have to live inside a file cannot be.
    #expect(throws: TrainingError.self) { try history.writeCSV(to: path + "/inside-a-file/h.csv") }
  }

  @Test func aMetricNameWithACommaIsQuoted() {
    let quoted = TrainingHistory(epochs: [
      EpochRecord(epoch: 0, trainingLoss: 1, learningRate: 1, validation: ["top-1, \"strict\"": 0.5])
    ])
    #expect(quoted.csv().hasPrefix("epoch,training_loss,learning_rate,\"top-1, \"\"strict\"\"\"\n"))
  }
}
