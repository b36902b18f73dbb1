import Curvature
import CurvatureProblems

// The wiring between the tool and the rest of the package. This is the only file that names the
// problem collections, the solver entry point and the derivative benchmarks, so each lands here
// with a few lines once it exists on main.

extension ProblemCatalog {
  /// The package's problem collections.
  ///
  /// TODO(wiring): `mgh` becomes `MGHProblems.all` and `large` the `ScalableProblems` set once
  /// those collections are on main; until then both are empty.
  public static let builtIn = ProblemCatalog(collections: [
    Collection(
      name: "mgh", summary: "Moré-Garbow-Hillstrom test problems (small, literature optima)",
      problems: { [] }),
    Collection(
      name: "large", summary: "scalable problems up to n = 10⁶", problems: { [] }),
  ])
}

extension SolverBackend {
  /// The methods of the package, by command-line name, in benchmark order.
  ///
  /// TODO(wiring): add each method as it lands on main, e.g.
  /// `MinimizeMethod("newton-cg") { .newtonCG() }`, `MinimizeMethod("lbfgs") { .lbfgs() }`;
  /// `lm` goes through the least-squares entry point instead. `minimize` itself is wired
  /// (``SolverBackend/minimizing(_:)``).
  static let builtInMethods: [MinimizeMethod] = []

  /// The package's solvers through `minimize`; nil while no method is available.
  public static let builtIn: SolverBackend? =
    builtInMethods.isEmpty ? nil : .minimizing(builtInMethods)
}

extension DerivativeSuite {
  /// The automatic-differentiation benchmarks (Benchmarks/DerivativeBenchmarks.swift).
  ///
  /// TODO(wiring): nil until that file is on main.
  public static let builtIn: DerivativeSuite? = nil
}
