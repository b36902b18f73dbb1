import Curvature
import Foundation

/// The mapping from data to the unit interval along one axis, with its ticks.
struct PlotAxis {
  let scale: SVGPlot.Scale
  /// The range in transformed coordinates (log₁₀ for logarithmic axes).
  let low: Double
  let high: Double
  let ticks: [Double]

  init(scale: SVGPlot.Scale, values: [Double], fixed: ClosedRange<Double>?) {
    self.scale = scale
    let usable = values.filter { $0.isFinite && (scale == .linear || $0 > 0) }
    var lo: Double
    var hi: Double
    if let fixed {
      lo = fixed.lowerBound
      hi = fixed.upperBound
    } else {
      lo = usable.min() ?? (scale == .linear ? 0 : 1)
      hi = usable.max() ?? (scale == .linear ? 1 : 10)
    }
    switch scale {
    case .linear:
      if lo == hi {
        let pad = lo == 0 ? 1 : Swift.abs(lo) * 0.1
        lo -= pad
        hi += pad
      }
      let step = PlotAxis.niceStep((hi - lo) / 5)
      if fixed == nil {
        lo = (lo / step).rounded(.down) * step
        hi = (hi / step).rounded(.up) * step
      }
      var ticks: [Double] = []
      var t = (lo / step).rounded(.up) * step
      while t <= hi + step * 1e-9 && ticks.count < 50 {
        ticks.append(Swift.abs(t) < step * 1e-9 ? 0 : t)
        t += step
      }
      self.low = lo
      self.high = hi
      self.ticks = ticks
    case .logarithmic:
      lo = log10(Swift.max(lo, Double.leastNormalMagnitude))
      hi = log10(Swift.max(hi, Double.leastNormalMagnitude))
      if fixed == nil {
        lo = lo.rounded(.down)
        hi = hi.rounded(.up)
      }
      if lo == hi {
        lo -= 1
        hi += 1
      }
      let decades = Int(hi.rounded(.down)) - Int(lo.rounded(.up))
      let every = Swift.max(1, (decades + 7) / 8)
      var ticks: [Double] = []
      var k = Int(lo.rounded(.up))
      while Double(k) <= hi {
        if k % every == 0 { ticks.append(pow(10, Double(k))) }
        k += 1
      }
      if decades < 2 {
        // Few decades: add 2× and 5× ticks so the axis is readable.
        var extra: [Double] = []
        for d in Int(lo.rounded(.down))...Int(hi.rounded(.up)) {
          for m in [2.0, 5.0] {
            let v = m * pow(10, Double(d))
            if log10(v) >= lo - 1e-12 && log10(v) <= hi + 1e-12 { extra.append(v) }
          }
        }
        ticks = (ticks + extra).sorted()
      }
      self.low = lo
      self.high = hi
      self.ticks = ticks
    }
  }

  /// Where `value` falls in [0, 1] along the axis, nil when it cannot be drawn.
  func fraction(_ value: Double) -> Double? {
    guard value.isFinite else { return nil }
    let t: Double
    switch scale {
    case .linear: t = value
    case .logarithmic:
      guard value > 0 else { return nil }
      t = log10(value)
    }
    return (t - low) / (high - low)
  }

  /// A step of 1, 2 or 5 × 10ᵏ close to `raw`.
  static func niceStep(_ raw: Double) -> Double {
    guard raw > 0, raw.isFinite else { return 1 }
    let p = pow(10, log10(raw).rounded(.down))
    let m = raw / p
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p
  }

  /// A short tick label.
  static func label(_ v: Double) -> String { formatNumber(v, significantDigits: 4) }
}
