import CKernels

/// The engine's C element loops (Sources/CKernels: the LSTM cell updates) come in variants for
/// AVX-512 (16 lanes), AVX2 (8) and SSE2 or NEON (4); the widest the processor supports is picked at
/// the first call. Each variant performs the same IEEE operations per element in the same order
/// (no fused multiply-add), so all give bit-identical results.
public enum KernelVariant {
  /// The lanes of the variant in use: 16, 8 or 4.
  public static var vectorWidth: Int { Int(kernels_vector_width()) }

  /// Runs the variant of `width` lanes from now on (or the widest supported below it), and
  /// returns the width chosen: for tests that compare the variants.
  @discardableResult
  public static func select(width: Int) -> Int { Int(kernels_set_vector_width(Int32(width))) }

  /// The instruction set of the variant in use, for reports.
  public static var name: String {
    switch vectorWidth {
    case 16: "AVX-512"
    case 8: "AVX2"
    default: "128-bit SIMD"
    }
  }
}
