import RealModule
import Testing

@testable import Curvature

@Suite struct TrustRegionTests {
  @Test(arguments: TrustRegionSubproblem.allCases)
  func solvesRosenbrock(_ subproblem: TrustRegionSubproblem) {
    let s = minimize(rosenbrockWithProducts, from: [-1.2, 1], using: .trustRegion(subproblem))
    print(s.briefReport, s.statistics.evaluations, s.statistics.rejectedSteps)
    #expect(s.termination == .gradientTolerance)
    #expect(s.gradientNorm <= 1e-6)
    #expect(abs(s.x[0] - 1) < 1e-5 && abs(s.x[1] - 1) < 1e-5)
  }

  @Test func modifiedNewtonRosenbrock() {
    for m in ModifiedNewton.Modification.allCases {
      let s = minimize(rosenbrockWithProducts, from: [-1.2, 1], using: .modifiedNewton(modification: m))
      print(s.briefReport, s.statistics.evaluations)
      #expect(s.termination == .gradientTolerance)
    }
  }
}
