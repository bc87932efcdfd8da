/// A module that draws random numbers while it runs (dropout masks, a noisy gate's noise). Its
/// generator's state is part of what a run must save to resume exactly where it stopped.
public protocol NoiseSource: AnyObject {
  var noiseGenerator: SeededGenerator { get set }
}

extension Module {
  /// Every noise source here and below, in the order of `namedParameters`' traversal.
  public var noiseSources: [any NoiseSource] {
    var found: [any NoiseSource] = []
    if let source = self as? any NoiseSource { found.append(source) }
    for child in children { found += child.module.noiseSources }
    return found
  }
}
