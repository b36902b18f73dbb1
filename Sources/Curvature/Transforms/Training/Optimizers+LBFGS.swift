extension Optimizers {
  /// L-BFGS (Nocedal & Wright, *Numerical Optimization*, 2nd ed., Algorithm 7.5): the two-loop
  /// direction of ``ScaleByLBFGS`` followed by a line search, by default the strong Wolfe zoom
  /// search with c₁ = 10⁻⁴, c₂ = 0.9 (``StrongWolfe``). Needs
  /// ``UpdateContext/evaluateGradient``; meant for full-batch (deterministic) objectives.
  public static func lbfgs<Search: LineSearch>(
    memory: Int = 10, lineSearch: Search = StrongWolfe()
  ) -> Chain<ScaleByLBFGS, ScaleByLineSearch<Search>> {
    chain {
      ScaleByLBFGS(memory: memory)
      ScaleByLineSearch(lineSearch)
    }
  }
}
