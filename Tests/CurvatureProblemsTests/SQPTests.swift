import Curvature
import CurvatureProblems
import RealModule
import Testing

@Suite("SQP")
struct SQPTests {
  static let names = HockSchittkowski.all.map(\.name)

  /// Every Hock-Schittkowski problem is solved to its published optimum with small KKT residuals.
  @Test(
    "Hock-Schittkowski problems", arguments: names, SQP.HessianApproximation.allCases)
  func hockSchittkowski(name: String, hessian: SQP.HessianApproximation) throws {
    let problem = try #require(HockSchittkowski.named(name))
    let s = minimize(
      problem.objective, from: problem.startingPoint, subjectTo: problem.constraints,
      bounds: problem.bounds, using: .sqp(hessian: hessian))
    #expect(s.termination == .residualTolerance, "\(s.briefReport)")
    let fStar = problem.optimalValue
    if fStar == 0 {
      #expect(abs(s.value) <= 1e-6, "\(s.briefReport)")
    } else {
      #expect(abs(s.value - fStar) <= 1e-4 * max(1, abs(fStar)), "\(s.briefReport)")
    }
    #expect(s.residuals.maximum <= 1e-6)
    #expect(problem.violation(at: s.x) <= 1e-6)
  }
}
