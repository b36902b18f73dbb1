import Foundation

/// Small summary statistics used by the benchmark and comparison reports.
public enum SummaryStatistics {
  /// The median of `values` (the mean of the two middle values for an even count); nil when
  /// empty.
  public static func median(_ values: [Double]) -> Double? {
    guard !values.isEmpty else { return nil }
    let s = values.sorted()
    let m = s.count / 2
    return s.count % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m])
  }

  /// The geometric mean exp((1/k) Σ log vᵢ) of positive finite values; nil when there are none.
  /// Non-positive or non-finite values are ignored. The geometric mean is the right average for
  /// ratios: a 2× win and a 2× loss cancel.
  public static func geometricMean(_ values: [Double]) -> Double? {
    let logs = values.filter { $0 > 0 && $0.isFinite }.map { Foundation.log($0) }
    guard !logs.isEmpty else { return nil }
    return Foundation.exp(logs.reduce(0, +) / Double(logs.count))
  }
}
