import Tensors
import Testing

/// The gradient checker itself: it must be able to fail, or the other checks prove nothing.
@Suite struct GradientCheckSanityTests {
  @Test func detachedOperandMakesTheCheckFail() {
    // f(x) = stop_gradient(x) * x: backward gives x, the true derivative of x^2 is 2x.
    // The checker projects onto random weights w, so element i compares w x with 2 w x:
    // the error |w x| / max(1, 2 |w x|) is 1/2 wherever |w x| >= 1/2.
    let x = uniformInput([2, 3], seed: 600, low: 3, high: 4)
    let report = checkGradients(of: { $0[0].detached() * $0[0] }, at: [x])
    #expect(!report.passes(tolerance: 1e-2), "\(report)")
    #expect(report.maximumError > 0.25, "\(report)")
    let (analytic, numerical) = (report.worst.analytic, report.worst.numerical)
    #expect(Swift.abs(numerical - 2 * analytic) < 1e-2 * Swift.abs(numerical), "\(report)")
    #expect(report.checkedElements == 6)
  }

  @Test func sameFunctionWithoutDetachPasses() {
    let x = uniformInput([2, 3], seed: 600, low: 1, high: 2)
    // (x + 0) * x rather than x * x: see AutodiffTests.tensorUsedTwiceInOneOpGetsBothPaths.
    let report = checkGradients(of: { ($0[0] + 0) * $0[0] }, at: [x])
    #expect(report.passes(tolerance: 1e-3), "\(report)")
  }

  @Test func missingInputGradientIsReported() {
    // The second input is used only through detached(): analytic 0, numerical 1.
    let a = uniformInput([3], seed: 601)
    let b = uniformInput([3], seed: 602)
    let report = checkGradients(of: { $0[0] + $0[1].detached() * 1 }, at: [a, b])
    #expect(!report.passes(tolerance: 1e-2), "\(report)")
    #expect(report.worst.input == 1)
    #expect(report.checkedElements == 6)
  }

  @Test func kinkIsVisibleToTheCheck() {
    // At 0, relu's backward says 0 but the central difference says 1/2: why inputs avoid kinks.
    let x = Tensor([0, 0.5, -0.5], requiresGrad: true)
    let report = checkGradients(of: { $0[0].relu() }, at: [x])
    #expect(!report.passes(tolerance: 1e-2), "\(report)")
    #expect(report.worst.element == 0)
  }

  @Test func reportDescriptionNamesTheWorstElement() {
    let x = Tensor([2, 3], requiresGrad: true)
    let y = Tensor([0, 1], requiresGrad: true)
    // Only y[0] is wrong (relu's kink), so the worst element is input 1, element 0.
    let report = checkGradients(of: { $0[0] * 2 + $0[1].relu() }, at: [x, y])
    #expect(report.description.contains("at input 1 element 0"), "\(report)")
    #expect(report.description.contains("(4 elements)"), "\(report)")
  }
}
