/// Layers applied one after another: y = layer_n(... layer_1(x)).
///
/// The layers are named by their index, as PyTorch's `nn.Sequential` names its children: a
/// `Sequential` of Linear-ReLU-Linear has parameters `0.weight`, `0.bias`, `2.weight`, `2.bias`, so its
/// checkpoint loads into a plain `nn.Sequential` with `load_state_dict(strict=True)`. A module that
/// keeps a `Sequential` in a property `layers` (as the course's experts do) saves `layers.0.weight`.
public final class Sequential: Layer {
  public let layers: [any Layer]

  public init(_ layers: [any Layer]) { self.layers = layers }
  public convenience init(_ layers: any Layer...) { self.init(layers) }

  public var children: [(name: String, module: any Module)] {
    layers.enumerated().map { (String($0.offset), $0.element) }
  }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    layers.reduce(input) { value, layer in layer(value) }
  }
}
