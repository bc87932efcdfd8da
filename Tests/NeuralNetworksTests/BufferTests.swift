import NeuralNetworks
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A layer with a trained scale and two buffers: a mask it multiplies by and a running count.
final class MaskedScale: Layer {
  let scale: Tensor
  let mask: Buffer
  let counts: [Buffer]
  init(mask: [Float]) {
    scale = Tensor.ones([mask.count], requiresGrad: true)
    self.mask = Buffer(Tensor(mask))
    counts = [Buffer(Tensor([0])), Buffer(Tensor([0, 0]))]
  }
  func callAsFunction(_ input: Tensor) -> Tensor { input * scale * mask.value }
}

@Suite struct BufferTests {
  @Test func buffersAreNamedByDottedPathsAndAreNotParameters() {
    let model = Sequential(MaskedScale(mask: [1, 0]), ReLU(), MaskedScale(mask: [0, 1]))
    #expect(model.namedParameters.map(\.name) == ["0.scale", "2.scale"])
    #expect(
      model.namedBuffers.map(\.name) == ["0.mask", "0.counts.0", "0.counts.1", "2.mask", "2.counts.0", "2.counts.1"])
    #expect(model.namedBuffers.map(\.buffer.shape) == [[2], [1], [2], [2], [1], [2]])
    #expect(model.parameterCount == 4)
  }

  @Test func aBufferNeverRequiresAGradient() {
    let trained = Tensor([1, 2], requiresGrad: true)
    let buffer = Buffer(trained)
    #expect(!buffer.value.requiresGrad)
    buffer.value = Tensor([3, 4], requiresGrad: true)
    #expect(!buffer.value.requiresGrad)
    #expect(buffer.value.scalars == [3, 4])
    // The caller's tensor keeps its own flag.
    #expect(trained.requiresGrad)
    // A buffer used in the forward pass gets no gradient; the parameter beside it does.
    let layer = MaskedScale(mask: [2, 3])
    layer(Tensor([1, 1])).sum().backward()
    #expect(layer.mask.value.grad == nil)
    #expect(layer.scale.grad!.scalars == [2, 3])
  }

  @Test func checkpointsSaveAndLoadBuffers() throws {
    let path = temporaryPath("buffers.safetensors")
    defer { unlink(path) }
    let original = MaskedScale(mask: [1, 0, 1])
    original.scale.assign(Tensor([5, 6, 7]))
    original.counts[1].value = Tensor([8, 9])
    try original.save(to: path)
    let stored = try SafeTensors.read(from: path).tensors.map(\.name).sorted()
    #expect(stored == ["counts.0", "counts.1", "mask", "scale"])

    let copy = MaskedScale(mask: [0, 0, 0])
    try copy.load(from: path)
    #expect(copy.scale.scalars == [5, 6, 7])
    #expect(copy.mask.value.scalars == [1, 0, 1])
    #expect(copy.counts[1].value.scalars == [8, 9])
    // Loaded values are copies: changing the original's buffer does not reach the copy.
    original.mask.value.withMutableScalars { $0[1] = 42 }
    #expect(copy.mask.value.scalars == [1, 0, 1])
  }

  @Test func aBufferOfTheWrongShapeIsNamedAndNothingIsLoaded() throws {
    let path = temporaryPath("buffer-shape.safetensors")
    defer { unlink(path) }
    try MaskedScale(mask: [1, 0, 1]).save(to: path)
    let other = MaskedScale(mask: [1, 1])
    do {
      try other.load(from: path)
      Issue.record("loading buffers of another shape succeeded")
    } catch {
      // "scale" is checked first and also differs; a model with the same scale isolates the buffer.
      #expect("\(error)".contains("has shape [3] but the model expects [2]"), "\(error)")
    }
    #expect(other.mask.value.scalars == [1, 1])

    let sameScale = MaskedScale(mask: [1, 1, 1])
    sameScale.counts[1].value = Tensor([0, 0, 0])
    #expect(throws: CheckpointError.shapeMismatch(path: path, tensor: "counts.1", expected: [3], found: [2])) {
      try sameScale.load(from: path)
    }
    #expect(sameScale.mask.value.scalars == [1, 1, 1])
  }

  @Test func aMissingBufferIsNamed() throws {
    let path = temporaryPath("buffer-missing.safetensors")
    defer { unlink(path) }
    let model = MaskedScale(mask: [1, 0])
    try SafeTensors.write(model.namedParameters, to: path)
    #expect(throws: CheckpointError.missingTensor(path: path, tensor: "mask")) { try model.load(from: path) }
  }

  @Test func twoTensorsWithOneNameAreRefusedWhenSaving() {
    let path = temporaryPath("duplicate.safetensors")
    let model = SameNames()
    #expect(throws: CheckpointError.duplicateTensor(path: path, tensor: "weight")) { try model.save(to: path) }
  }
}

/// A module whose hand-written names collide: one parameter and one buffer both called "weight".
private final class SameNames: Module {
  let weight = Tensor([1], requiresGrad: true)
  let running = Buffer(Tensor([2]))
  var ownBuffers: [(name: String, buffer: Buffer)] { [("weight", running)] }
}
