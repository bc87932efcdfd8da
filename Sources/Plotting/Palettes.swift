/// Colours for categories (experts, series, classes).
///
/// The first seven are Okabe and Ito's colour-blind-safe set (their black is left out: data
/// points and text are drawn in near-black). The rest come from Tableau-10 and ColorBrewer,
/// chosen to stay far from the first seven; `PlottingTests` checks that every pair differs.
public enum Palette {
  public static let categorical: [Color] = [
    Color(hex: 0x0072B2),  // blue
    Color(hex: 0xE69F00),  // orange
    Color(hex: 0x009E73),  // bluish green
    Color(hex: 0xCC79A7),  // reddish purple
    Color(hex: 0x56B4E9),  // sky blue
    Color(hex: 0xD55E00),  // vermillion
    Color(hex: 0xF0E442),  // yellow
    Color(hex: 0x8C564B),  // brown
    Color(hex: 0x7F7F7F),  // gray
    Color(hex: 0x6A3D9A),  // dark purple
    Color(hex: 0xB2DF8A),  // light green
    Color(hex: 0xFB9A99),  // pink
  ]

  /// The colour of category `index`; indices past the palette wrap around.
  public static func color(_ index: Int) -> Color {
    let count = categorical.count
    return categorical[((index % count) + count) % count]
  }
}

/// A sequential colour map: values in [0, 1] to colours, light or dark ends included.
public struct Colormap: Sendable {
  public let name: String
  /// Evenly spaced stops from 0 to 1, interpolated linearly.
  public let stops: [Color]

  public init(name: String, stops: [Color]) {
    precondition(stops.count >= 2, "a colour map needs at least two stops")
    self.name = name
    self.stops = stops
  }

  /// The colour at `t`; values outside [0, 1] are clamped, NaN gives the first colour.
  public func color(at t: Double) -> Color {
    let clamped = t.isNaN ? 0 : max(0, min(1, t))
    let position = clamped * Double(stops.count - 1)
    let index = min(Int(position), stops.count - 2)
    return stops[index].mixed(with: stops[index + 1], amount: position - Double(index))
  }

  public var first: Color { stops[0] }
  public var last: Color { stops[stops.count - 1] }

  /// Matplotlib's viridis sampled at eleven points: perceptually uniform, readable in
  /// grayscale and by colour-blind readers; dark for low values, yellow for high.
  public static let viridis = Colormap(
    name: "viridis",
    stops: [
      0x440154, 0x482475, 0x414487, 0x355F8D, 0x2A788E, 0x21918C, 0x22A884, 0x44BF70, 0x7AD151,
      0xBDDF26, 0xFDE725,
    ].map { Color(hex: $0) })
}
