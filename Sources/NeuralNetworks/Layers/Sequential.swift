/// Layers applied one after another: y = layer_n(... layer_1(x)).
/// Parameters are named `layers.<index>.<name>`.
public final class Sequential: Layer {
  public let layers: [any Layer]

  public init(_ layers: [any Layer]) { self.layers = layers }
  public convenience init(_ layers: any Layer...) { self.init(layers) }

  public func callAsFunction(_ input: Tensor) -> Tensor {
    layers.reduce(input) { value, layer in layer(value) }
  }
}
