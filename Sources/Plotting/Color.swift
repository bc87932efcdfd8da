import Glibc

/// An 8-bit sRGB colour with straight (not premultiplied) alpha.
public struct Color: Hashable, Sendable, CustomStringConvertible {
  public var red: UInt8
  public var green: UInt8
  public var blue: UInt8
  public var alpha: UInt8

  public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
    self.red = red
    self.green = green
    self.blue = blue
    self.alpha = alpha
  }

  /// A colour from a 0xRRGGBB literal, the way palettes are published.
  public init(hex: UInt32, alpha: UInt8 = 255) {
    self.init(
      red: UInt8((hex >> 16) & 0xFF), green: UInt8((hex >> 8) & 0xFF), blue: UInt8(hex & 0xFF),
      alpha: alpha)
  }

  public static let white = Color(hex: 0xFFFFFF)
  public static let black = Color(hex: 0x000000)
  public static let clear = Color(hex: 0x000000, alpha: 0)
  /// Text and axis lines: softer than pure black, still far above WCAG contrast on white.
  public static let ink = Color(hex: 0x222222)
  public static let gray = Color(hex: 0x808080)
  public static let lightGray = Color(hex: 0xD9D9D9)
  public static let gridGray = Color(hex: 0xEBEBEB)
  /// Notes about skipped data stand out from the chart's text without shouting.
  public static let noteRed = Color(hex: 0xB2182B)

  /// The same colour with its opacity set to `opacity` (0 to 1).
  public func withOpacity(_ opacity: Double) -> Color {
    var copy = self
    copy.alpha = UInt8((max(0, min(1, opacity)) * 255).rounded())
    return copy
  }

  /// Linear interpolation towards `other` in sRGB: `amount` 0 gives `self`, 1 gives `other`.
  public func mixed(with other: Color, amount: Double) -> Color {
    let t = max(0, min(1, amount))
    func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
      UInt8((Double(a) + (Double(b) - Double(a)) * t).rounded())
    }
    return Color(
      red: mix(red, other.red), green: mix(green, other.green), blue: mix(blue, other.blue),
      alpha: mix(alpha, other.alpha))
  }

  /// Relative luminance (WCAG), used to pick black or white text over a coloured cell.
  public var luminance: Double {
    let (r, g, b) = linearRGB
    return 0.2126 * r + 0.7152 * g + 0.0722 * b
  }

  /// Text colour with the better contrast over this colour.
  public var contrastingText: Color {
    // 0.18 is where black and white text have equal contrast ratios (about 4.6:1 each).
    luminance > 0.18 ? .ink : .white
  }

  var linearRGB: (Double, Double, Double) {
    func linear(_ value: UInt8) -> Double {
      let c = Double(value) / 255
      return c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
    }
    return (linear(red), linear(green), linear(blue))
  }

  /// CIE L*a*b* (D65), where Euclidean distance approximates how different colours look.
  var lab: (l: Double, a: Double, b: Double) {
    let (r, g, b) = linearRGB
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    func f(_ t: Double) -> Double { t > 0.008856 ? cbrt(t) : 7.787 * t + 16.0 / 116.0 }
    return (116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z)))
  }

  /// Perceptual distance (CIE76 delta E) between two colours.
  public func distance(to other: Color) -> Double {
    let p = lab
    let q = other.lab
    return ((p.l - q.l) * (p.l - q.l) + (p.a - q.a) * (p.a - q.a) + (p.b - q.b) * (p.b - q.b))
      .squareRoot()
  }

  public var description: String {
    let digits = Array("0123456789ABCDEF")
    var text = "#"
    for component in [red, green, blue] {
      text.append(digits[Int(component >> 4)])
      text.append(digits[Int(component & 0xF)])
    }
    if alpha != 255 {
      text.append(digits[Int(alpha >> 4)])
      text.append(digits[Int(alpha & 0xF)])
    }
    return text
  }
}
