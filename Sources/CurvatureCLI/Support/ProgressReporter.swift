import Curvature

/// Progress lines on the error stream, with an estimate of the time left.
///
/// The estimate assumes the remaining items cost the mean of those done so far, which is crude
/// when sizes vary but honest about it ("about"). A quiet reporter writes nothing.
public final class ProgressReporter {
  private let total: Int
  private let output: OutputSink
  private let quiet: Bool
  private let clock = ContinuousClock()
  private let start: ContinuousClock.Instant
  private var done = 0

  /// A reporter for `total` items.
  public init(total: Int, output: OutputSink, quiet: Bool) {
    self.total = total
    self.output = output
    self.quiet = quiet
    self.start = clock.now
  }

  /// Seconds since the reporter was created.
  public var elapsed: Double { durationSeconds(clock.now - start) }

  /// Reports one finished item described by `label`.
  public func completed(_ label: String) {
    done += 1
    guard !quiet else { return }
    let width = String(total).count
    let index = String(repeating: " ", count: width - String(done).count) + String(done)
    let spent = elapsed
    var line = "[\(index)/\(total)] \(label)  (elapsed \(formatDuration(spent))"
    if done < total {
      let left = spent / Double(done) * Double(total - done)
      line += ", about \(formatDuration(left)) left"
    }
    output.errorLine(line + ")")
  }
}

/// Seconds in a `Duration`.
func durationSeconds(_ d: Duration) -> Double {
  Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// A short human duration with about three significant digits below a minute: `71.4 µs`,
/// `2.35 ms`, `850 ms`, `12.3 s`, `3 min 20 s`, `1 h 05 min`.
public func formatDuration(_ s: Double) -> String {
  guard s.isFinite, s >= 0 else { return "?" }
  // Thresholds at 999.5 so that three-digit rounding never prints "1e+03".
  if s * 1e6 < 999.5 { return formatNumber(s * 1e6, significantDigits: 3) + " µs" }
  if s * 1e3 < 999.5 { return formatNumber(s * 1e3, significantDigits: 3) + " ms" }
  if s < 60 { return "\((s * 10).rounded() / 10) s" }
  let total = Int(s.rounded())
  if total < 3600 { return "\(total / 60) min \(total % 60) s" }
  let m = (total % 3600) / 60
  return "\(total / 3600) h \(m < 10 ? "0" : "")\(m) min"
}
