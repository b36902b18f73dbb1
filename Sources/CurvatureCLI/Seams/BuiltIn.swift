import Curvature
import CurvatureProblems

// The wiring between the tool and the rest of the package. This is the only file that names the
// problem collections, the solver methods and the derivative benchmarks: a new method or
// collection is one line here.

extension ProblemCatalog {
  /// The package's problem collections: `mgh`, the 35 Moré-Garbow-Hillstrom problems
  /// (``MGHProblems/all``), and `large`, the peer harness's scalable suite
  /// (``ScalableProblems/largeNames``), built one problem at a time, and `cutest`, two scalable
  /// CUTEst quartics (``ScalableProblems/cutestNames``).
  public static let builtIn = ProblemCatalog(collections: [
    Collection(
      name: "mgh",
      summary: "the 35 Moré-Garbow-Hillstrom problems (small, literature optima)",
      problems: { MGHProblems.all }),
    Collection(
      name: "large", summary: "the peers' scalable problems, n up to 10⁶",
      problemNames: { ScalableProblems.largeNames },
      build: { ScalableProblems.problem(named: $0) }),
    Collection(
      name: "cutest",
      summary: "scalable CUTEst quartics outside the peer suites (BDQRTIC, NONDQUAR)",
      problemNames: { ScalableProblems.cutestNames },
      build: { ScalableProblems.cutestProblem(named: $0) }),
  ])
}

extension SolverBackend {
  /// The methods of the package, by command-line name, in benchmark order (the peer families,
  /// ``MethodFamily``): Newton-CG with its default Armijo line search, the trust-region Newton
  /// method with Steihaug-Toint CG, GLTR (Lanczos) and the exact (Moré-Sorensen) subproblem, and
  /// BFGS (dense inverse Hessian, strong Wolfe), L-BFGS (memory 10, Moré-Thuente) and
  /// Levenberg-Marquardt with a dense QR subproblem through `leastSquares`; then L-BFGS with its
  /// history stored in single precision (`lbfgs-single`, large problems only).
  static let builtInMethods: [MinimizeMethod] = [
    MinimizeMethod("newton-cg") { .newtonCG() },
    MinimizeMethod("trust-ncg") { .trustRegion(.steihaug) },
    MinimizeMethod("trust-krylov") { .trustRegion(.gltr) },
    MinimizeMethod("trust-exact") { .trustRegion(.exact) },
    MinimizeMethod("bfgs") { .bfgs() },
    MinimizeMethod("lbfgs") { .lbfgs() },
    .leastSquares("lm") { .levenbergMarquardt() },
    MinimizeMethod("lbfgs-single") { .lbfgs(historyPrecision: .single) },
  ]

  /// The package's solvers through `minimize`; nil while no method is available.
  public static let builtIn: SolverBackend? =
    builtInMethods.isEmpty ? nil : .minimizing(builtInMethods)

  /// The least-squares methods of `bench --suite least-squares`, run by `leastSquares` on the
  /// problems' residuals: Levenberg-Marquardt with the dense QR subproblem (MINPACK's `lmder`,
  /// Moré 1978), Levenberg-Marquardt matrix-free (CG on the regularized normal equations with
  /// J·v and Jᵀ·w products), Gauss-Newton with a line search, and Powell's dogleg.
  static let leastSquaresMethods: [MinimizeMethod] = [
    .leastSquares("lm") { .levenbergMarquardt() },
    .leastSquares("lm-matrix-free") { .levenbergMarquardt(.matrixFree) },
    .leastSquares("gauss-newton") { .gaussNewton() },
    .leastSquares("dogleg") { .dogleg() },
  ]

  /// The least-squares solvers (``leastSquaresMethods``).
  public static let leastSquaresBuiltIn: SolverBackend = .minimizing(leastSquaresMethods)
}

extension ConstrainedBackend {
  /// The constrained suite: SQP with damped BFGS (`sqp`) and with the exact Hessian of the
  /// Lagrangian (`sqp-exact`) on every Hock-Schittkowski problem (``HockSchittkowski/all``), and
  /// the bound-constrained methods L-BFGS-B (`lbfgsb`) and projected Newton-CG
  /// (`projected-newton-cg`) on the problems whose only constraints are bounds: HS1 and HS38
  /// (``boundConstrainedProblems``).
  public static let builtIn: ConstrainedBackend = .running(
    [
      ("sqp", .sqp(.sqp())),
      ("sqp-exact", .sqp(.sqp(hessian: .exact))),
      ("lbfgsb", .bounded { LBFGSB() }),
      ("projected-newton-cg", .bounded { ProjectedNewtonCG() }),
    ],
    problems: (boundConstrainedProblems + HockSchittkowski.all).sorted { $0.name < $1.name })

  /// The bound-constrained Hock-Schittkowski problems, built from the Moré-Garbow-Hillstrom
  /// objectives they share: HS1 is Rosenbrock's function with x₂ ≥ −1.5 from x₀ = (−2, 1), and
  /// HS38 is Wood's function on [−10, 10]⁴ from x₀ = (−3, −1, −3, −1); both have f* = 0 at
  /// x* = (1, …, 1) (Hock & Schittkowski 1981).
  static var boundConstrainedProblems: [ConstrainedTestProblem] {
    var problems: [ConstrainedTestProblem] = []
    let inf = Double.infinity
    if let rosenbrock = MGHProblems.named("rosenbrock") {
      problems.append(
        ConstrainedTestProblem(
          name: "hs001", source: "Hock & Schittkowski (1981), problem 1 (MGH Rosenbrock)",
          objective: rosenbrock.objective, constraints: FunctionConstraints(dimension: 2),
          bounds: try? Bounds(lower: [-inf, -1.5], upper: [inf, inf]), startingPoint: [-2, 1],
          optimalValue: 0, minimizer: [1, 1]))
    }
    if let wood = MGHProblems.named("wood") {
      problems.append(
        ConstrainedTestProblem(
          name: "hs038", source: "Hock & Schittkowski (1981), problem 38 (MGH Wood)",
          objective: wood.objective, constraints: FunctionConstraints(dimension: 4),
          bounds: try? Bounds(
            lower: Vector(repeating: -10, count: 4), upper: Vector(repeating: 10, count: 4)),
          startingPoint: [-3, -1, -3, -1], optimalValue: 0, minimizer: [1, 1, 1, 1]))
    }
    return problems
  }
}

extension DerivativeSuite {
  /// The automatic-differentiation benchmarks (``DerivativeBenchmarks``): extended Rosenbrock at
  /// n = 10⁶ and logistic regression (m = 10⁴, d = 100), then extended Rosenbrock at n = 10⁷
  /// (where every vector outgrows the 32 MB last-level cache of the benchmark machine, as at 10⁶
  /// the analytic gradient's two vectors do not), 5 timed repeats unless `--repeat`,
  /// with glibc's allocator tuned for large temporaries
  /// (``DerivativeBenchmarks/tuneAllocatorForLargeVectors()``); then the cost of one
  /// Hessian-vector product per source in gradients (``HessianVectorProductCosts``), and whole
  /// solves on the autodiff route against hand-written derivatives (``AutodiffSolveCosts``).
  public static let builtIn: DerivativeSuite? = DerivativeSuite { output, repeats, quiet in
    let r = repeats ?? 5
    let tuned = DerivativeBenchmarks.tuneAllocatorForLargeVectors()
    if !quiet {
      output.errorLine(
        "derivatives: timing gradients and Hessian-vector products (n = 10⁶ and 10⁷)…")
    }
    let rows =
      DerivativeBenchmarks.run(repeats: r)
      + DerivativeBenchmarks.rosenbrockRows(dimension: 10_000_000, repeats: r)
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
    if !quiet { output.errorLine("derivatives: whole solves on both routes…") }
    let solves = AutodiffSolveCosts.run(repeats: r)
    output.line("Whole solves, autodiff route against hand-written derivatives (median of \(r))\n")
    output.line(AutodiffSolveCosts.table(solves).render())
    output.line("")
  }
}
