/// The standard plots of the tool, built on ``SVGPlot``.
public enum Plots {
  /// A performance profile: ρ_s(τ) against τ on a logarithmic axis, one line per solver.
  public static func performanceProfile(_ profile: PerformanceProfile, title: String) -> SVGPlot {
    let tauMax = Swift.max(2, profile.largestFiniteRatio * 1.05)
    return SVGPlot(
      title: title, xLabel: "τ (cost relative to the best solver)",
      yLabel: "fraction of problems within τ of the best", xScale: .logarithmic,
      // A little room around [1, τ_max] × [0, 1] keeps lines off the frame.
      xRange: 0.97...tauMax, yRange: -0.02...1.02,
      series: profile.solvers.indices.map { s in
        SVGPlot.Series(
          name: profile.solvers[s],
          points: profile.curve(solver: s, upTo: tauMax).map { SVGPlot.Point($0.x, $0.y) })
      })
  }

  /// Kernel throughput in GB/s against the vector length, one line per kernel.
  public static func kernelThroughput(_ timings: [KernelTiming]) -> SVGPlot {
    var names: [String] = []
    for t in timings where !names.contains(t.kernel) { names.append(t.kernel) }
    return SVGPlot(
      title: "Level-1 kernel throughput", xLabel: "vector length n", yLabel: "GB/s",
      xScale: .logarithmic,
      series: names.map { k in
        SVGPlot.Series(
          name: k,
          points: timings.filter { $0.kernel == k }.map {
            SVGPlot.Point(Double($0.n), $0.gigabytesPerSecond)
          }, showsMarkers: true)
      })
  }
}
