/// Whether ops record the graph for `backward()`.
public enum GradientMode {
  /// True unless inside `withoutGradients`. A task-local value, so concurrent tests do not interfere.
  @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording any graph: for evaluation, inference and parameter updates.
/// Results computed inside never require gradients, whatever their operands.
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
  try GradientMode.$isEnabled.withValue(false) { try body() }
}
