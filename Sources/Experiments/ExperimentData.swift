import Datasets
import NeuralNetworks

/// The three stratified splits of the configured data set (drawn from the experiment's seed). A
/// quick run keeps at most 600 training and 200 validation and test images, so it takes seconds.
public struct ExperimentData {
  public let training: LabelledDataset
  public let validation: LabelledDataset
  public let test: LabelledDataset

  public init(_ data: ExperimentConfiguration.Data, seed: UInt64, quick: Bool) throws {
    let all: LabelledDataset
    switch data.dataset {
    case "mnist5k": all = try MNIST5k.load()
    default: all = try Digits.load()
    }
    var generator = SeededGenerator(seed: seed &+ 7)
    let (training, validation, test) = try all.split(validation: data.validation, test: data.test, using: &generator)
    func limited(_ part: LabelledDataset, _ count: Int) -> LabelledDataset {
      quick && part.count > count ? part.subset(Array(0..<count)) : part
    }
    self.training = limited(training, 600)
    self.validation = limited(validation, 200)
    self.test = limited(test, 200)
  }
}
