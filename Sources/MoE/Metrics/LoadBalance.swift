/// The balance columns of Shazeer et al. 2017 (Table 6) over one batch:
///
///     Importance_i = sum over the batch of the combine weight of expert i
///     Load_i       = inputs routed to expert i
///
/// with CV(Importance), CV(Load) (coefficient of variation, `coefficientOfVariation`) and
/// max(Load) / mean(Load). All three are 0, 0 and 1 when every expert gets the same share. The
/// paper's Load is its smooth estimate from the noise; this counts the inputs the experts actually
/// got, which is what the noise-free evaluation routes.
public struct LoadBalance: Sendable, Equatable {
  public let importance: [Double]
  public let load: [Int]

  public init(_ routing: RoutingRecord) {
    importance = routing.combineMatrix.sum(axis: 0).scalars.map(Double.init)
    load = routing.tokensPerExpert
  }

  public var importanceCoefficientOfVariation: Double { coefficientOfVariation(importance) }
  public var loadCoefficientOfVariation: Double { coefficientOfVariation(load.map(Double.init)) }
  /// max(Load) / mean(Load): E when one expert takes every input, 1 when balanced (0 for no load).
  public var maximumToMeanLoad: Double {
    let mean = Double(load.reduce(0, +)) / Double(max(load.count, 1))
    return mean == 0 ? 0 : Double(load.max() ?? 0) / mean
  }
}

/// Coefficient of variation, CV = standard deviation / mean (population standard deviation), the
/// square root of `squaredCoefficientOfVariation`: 0 when all values are equal; 0 for an empty list
/// or a zero mean.
public func coefficientOfVariation(_ values: [Double]) -> Double {
  guard !values.isEmpty else { return 0 }
  let mean = values.reduce(0, +) / Double(values.count)
  guard mean != 0 else { return 0 }
  let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
  return variance.squareRoot() / abs(mean)
}
