import Curvature
import CurvatureProblems

// The wiring between the tool and the rest of the package. This is the only file that names the
// problem collections, the solver methods and the derivative benchmarks: a new method or
// collection is one line here.

extension ProblemCatalog {
  /// The package's problem collections: `mgh`, the 35 Moré-Garbow-Hillstrom problems
  /// (``MGHProblems/all``), and `large`, the peer harness's scalable suite
  /// (``ScalableProblems/largeNames``), built one problem at a time.
  public static let builtIn = ProblemCatalog(collections: [
    Collection(
      name: "mgh",
      summary: "the 35 Moré-Garbow-Hillstrom problems (small, literature optima)",
      problems: { MGHProblems.all }),
    Collection(
      name: "large", summary: "the peers' scalable problems, n up to 10⁶",
      problemNames: { ScalableProblems.largeNames },
      build: { ScalableProblems.problem(named: $0) }),
  ])
}

extension SolverBackend {
  /// The methods of the package, by command-line name, in benchmark order (the peer families,
  /// ``MethodFamily``): Newton-CG with its default Armijo line search, the trust-region Newton
  /// method with Steihaug-Toint CG, GLTR (Lanczos) and the exact (Moré-Sorensen) subproblem, and
  /// BFGS (dense inverse Hessian, strong Wolfe), L-BFGS (memory 10, Moré-Thuente) and
  /// Levenberg-Marquardt with a dense QR subproblem through `leastSquares`.
  static let builtInMethods: [MinimizeMethod] = [
    MinimizeMethod("newton-cg") { .newtonCG() },
    MinimizeMethod("trust-ncg") { .trustRegion(.steihaug) },
    MinimizeMethod("trust-krylov") { .trustRegion(.gltr) },
    MinimizeMethod("trust-exact") { .trustRegion(.exact) },
    MinimizeMethod("bfgs") { .bfgs() },
    MinimizeMethod("lbfgs") { .lbfgs() },
    .leastSquares("lm") { .levenbergMarquardt() },
  ]

  /// The package's solvers through `minimize`; nil while no method is available.
  public static let builtIn: SolverBackend? =
    builtInMethods.isEmpty ? nil : .minimizing(builtInMethods)
}

extension DerivativeSuite {
  /// The automatic-differentiation benchmarks (``DerivativeBenchmarks``): extended Rosenbrock at
  /// n = 10⁶ and logistic regression (m = 10⁴, d = 100), 5 timed repeats unless `--repeat`,
  /// with glibc's allocator tuned for large temporaries
  /// (``DerivativeBenchmarks/tuneAllocatorForLargeVectors()``); then the cost of one
  /// Hessian-vector product per source in gradients (``HessianVectorProductCosts``).
  public static let builtIn: DerivativeSuite? = DerivativeSuite { output, repeats, quiet in
    let r = repeats ?? 5
    let tuned = DerivativeBenchmarks.tuneAllocatorForLargeVectors()
    if !quiet {
      output.errorLine("derivatives: timing gradients and Hessian-vector products (n = 10⁶)…")
    }
    let rows = DerivativeBenchmarks.run(repeats: r)
    output.line(
      "Suite derivatives: autodiff and finite differences against analytic derivatives, median"
        + " of \(r) runs" + (tuned ? " (allocator tuned)" : "") + "\n")
    output.line(DerivativeBenchmarks.table(rows))
    output.line("")
    if !quiet { output.errorLine("derivatives: Hessian-vector product cost per source…") }
    let costs = HessianVectorProductCosts.run(repeats: r)
    output.line("Hessian-vector product cost per source, in gradients (median of \(r) runs)\n")
    output.line(HessianVectorProductCosts.table(costs).render())
    output.line("")
  }
}
