/// How far the backward pass is from central finite differences.
public struct GradientCheckReport: CustomStringConvertible, Sendable {
  /// Largest |analytic - numerical| / max(1, |analytic|, |numerical|) over all checked elements.
  public var maximumError: Double
  /// Where the largest error sits: input index, element index, and both values.
  public var worst: (input: Int, element: Int, analytic: Double, numerical: Double)
  /// Number of elements compared.
  public var checkedElements: Int

  public var description: String {
    "max error \(formatDecimal(maximumError, decimals: 6)) at input \(worst.input) element \(worst.element): "
      + "analytic \(formatDecimal(worst.analytic, decimals: 6)) vs numerical \(formatDecimal(worst.numerical, decimals: 6))"
      + " (\(checkedElements) elements)"
  }

  /// True when every element agrees within `tolerance` (mixed absolute/relative error).
  public func passes(tolerance: Double = 1e-2) -> Bool { maximumError <= tolerance }
}

/// Compares the gradients `backward()` computes for `inputs` with central finite differences.
///
/// A non-scalar output is reduced to L = sum(f(x) * w) with fixed random weights w, so every output
/// element's gradient is tested. The numerical derivative is (L(x + h) - L(x - h)) / 2h with
/// L summed in Double, which keeps Float rounding out of the difference quotient.
/// Inputs must be leaves with `requiresGrad`; their accumulated gradients are overwritten.
public func checkGradients(
  of function: ([Tensor]) -> Tensor, at inputs: [Tensor], step: Float = 1e-3, seed: UInt64 = 17
) -> GradientCheckReport {
  for (index, input) in inputs.enumerated() where !input.requiresGrad || !input.isLeaf {
    tensorFailure("checkGradients: input \(index) must be a leaf with requiresGrad")
  }
  let output = function(inputs)
  var generator = SeededGenerator(seed: seed)
  let weights = (0..<output.count).map { _ in Double(generator.nextUniform(-1, 1)) }

  func projected(_ tensor: Tensor) -> Double {
    var total = 0.0
    for (value, weight) in zip(tensor.scalars, weights) { total += Double(value) * weight }
    return total
  }

  for input in inputs { input.zeroGrad() }
  (output * Tensor(shape: output.shape, scalars: weights.map { Float($0) })).sum().backward()

  var report = GradientCheckReport(maximumError: 0, worst: (0, 0, 0, 0), checkedElements: 0)
  for (inputIndex, input) in inputs.enumerated() {
    let analytic = input.gradientStorage ?? [Float](repeating: 0, count: input.count)
    for element in 0..<input.count {
      let original = input.scalars[element]
      input.scalars[element] = original + step
      let plus = withoutGradients { projected(function(inputs)) }
      input.scalars[element] = original - step
      let minus = withoutGradients { projected(function(inputs)) }
      input.scalars[element] = original
      // The step actually taken in Float, not the nominal one.
      let numerical = (plus - minus) / (Double(original + step) - Double(original - step))
      let exact = Double(analytic[element])
      let error = Swift.abs(exact - numerical) / Swift.max(1, Swift.abs(exact), Swift.abs(numerical))
      report.checkedElements += 1
      if error > report.maximumError || report.checkedElements == 1 {
        report.maximumError = Swift.max(report.maximumError, error)
        report.worst = (inputIndex, element, exact, numerical)
      }
    }
  }
  return report
}
