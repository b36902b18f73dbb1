import Curvature
import CurvatureProblems
import Foundation
import Testing

/// Prints SQP's iterations and evaluations on the Hock-Schittkowski problems, for BENCHMARKS.md
/// (`CURVATURE_SQP_TABLE=1 swift test --filter SQPTableTests`; SciPy's side:
/// `python3 scripts/hs_scipy.py`). Without the flag it only checks that every row converged.
@Suite struct SQPTableTests {
  @Test func table() {
    let print = ProcessInfo.processInfo.environment["CURVATURE_SQP_TABLE"] == "1"
    if print { Swift.print("problem          | SQP BFGS it/f/g | SQP exact it/f/g") }
    for p in HockSchittkowski.all {
      var cells: [String] = []
      for method in [SQP.sqp(), .sqp(hessian: .exact)] {
        let s = minimize(
          p.objective, from: p.startingPoint, subjectTo: p.constraints, bounds: p.bounds,
          using: method)
        #expect(s.isSuccess, "\(p.name) \(method.name): \(s.termination)")
        let e = s.statistics.evaluations
        // f: every computation of f (values and value-and-gradient calls); g: every gradient,
        // including those spent on finite differences.
        cells.append(
          "\(s.statistics.iterations)/\(e.values + e.gradients)/\(e.gradients + e.differenceGradients)"
        )
      }
      if print {
        Swift.print(
          p.name.padding(toLength: 16, withPad: " ", startingAt: 0) + " | "
            + cells.joined(separator: " | "))
      }
    }
  }
}
