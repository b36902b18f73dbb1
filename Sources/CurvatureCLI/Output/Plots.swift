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

  /// Convergence curves: for each (suite, problem), one row of two panels against the iteration
  /// on a logarithmic y axis, one line per method: |f(xₖ) − f*| (f(xₖ) where f* is unknown) and
  /// the gradient norm (‖∇f(xₖ)‖∞; for the constrained suite the stationarity residual
  /// ‖∇ₓL‖∞ of SQP or the projected gradient of the bound-constrained methods). Values below
  /// ``ConvergenceCurve/gapFloor`` are drawn at that floor.
  public static func convergenceCurves(_ curves: [ConvergenceCurve]) -> SVGFigure {
    var groups: [(suite: String, problem: String, curves: [ConvergenceCurve])] = []
    for c in curves {
      if let i = groups.firstIndex(where: { $0.suite == c.suite && $0.problem == c.problem }) {
        groups[i].curves.append(c)
      } else {
        groups.append((c.suite, c.problem, [c]))
      }
    }
    var panels: [SVGPlot] = []
    for g in groups {
      let knowsOptimum = g.curves.allSatisfy { $0.optimalValue != nil }
      let constrained = g.suite == "constrained"
      var value = SVGPlot(
        title: "\(g.problem) (\(g.suite)): " + (knowsOptimum ? "|f − f*|" : "f"),
        xLabel: "iteration k", yLabel: knowsOptimum ? "|f(xₖ) − f*|" : "f(xₖ)",
        yScale: .logarithmic,
        series: g.curves.map { c in
          SVGPlot.Series(
            name: c.method,
            points: c.points.compactMap { p in
              c.gap(p).map { SVGPlot.Point(Double(p.iteration), $0) }
            })
        })
      var gradient = SVGPlot(
        title: "\(g.problem) (\(g.suite)): " + (constrained ? "stationarity" : "gradient norm"),
        xLabel: "iteration k",
        yLabel: constrained ? "‖∇ₓL(xₖ, λ)‖∞ or projected ‖∇f‖∞" : "‖∇f(xₖ)‖∞",
        yScale: .logarithmic,
        series: g.curves.map { c in
          SVGPlot.Series(
            name: c.method,
            points: c.points.compactMap { p in
              p.gradientNorm.isFinite
                ? SVGPlot.Point(
                  Double(p.iteration), Swift.max(p.gradientNorm, ConvergenceCurve.gapFloor))
                : nil
            })
        })
      value.width = 640
      value.height = 400
      gradient.width = 640
      gradient.height = 400
      panels += [value, gradient]
    }
    return SVGFigure(title: "Convergence curves", panels: panels, columns: 2)
  }
}
