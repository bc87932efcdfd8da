import Testing

@testable import Plotting

@Suite struct PaletteTests {
  @Test func expertColoursAreManyAndDistinct() {
    let colors = Palette.categorical
    #expect(colors.count >= 10)
    var closest = Double.infinity
    for i in colors.indices {
      for j in colors.indices where j > i {
        closest = min(closest, colors[i].distance(to: colors[j]))
      }
      // Regions shaded towards white must not look like the page.
      #expect(colors[i].distance(to: .white) > 10)
    }
    #expect(closest > 20, "two expert colours are only \(closest) apart (CIE76)")
    #expect(Palette.color(colors.count) == colors[0])
    #expect(Palette.color(-1) == colors[colors.count - 1])
  }

  @Test func viridisRunsDarkToLightSmoothly() {
    let map = Colormap.viridis
    #expect(map.color(at: 0) == map.first)
    #expect(map.color(at: 1) == map.last)
    #expect(map.color(at: -3) == map.first)
    #expect(map.color(at: .nan) == map.first)
    var previous = map.color(at: 0).lab.l
    for step in 1...50 {
      let lightness = map.color(at: Double(step) / 50).lab.l
      #expect(lightness > previous, "lightness must grow along the map")
      previous = lightness
    }
  }

  @Test func contrastingTextPicksTheReadableColour() {
    #expect(Colormap.viridis.first.contrastingText == .white)
    #expect(Colormap.viridis.last.contrastingText == .ink)
  }
}
