import Curvature
import CurvatureProblems
import Foundation
import Testing

/// The acceptance criterion of the unconstrained solvers against SciPy on the 20 peer MGH
/// problems, from the standard start with ‖∇f‖∞ ≤ 1e-6:
///
/// 1. each method solves every problem its SciPy counterpart solves (the value has LRE ≥ 4 against
///    f* or one of the problem's known local minima, or |f| ≤ 1e-4 when f* = 0 — the score of
///    ``TestProblem/logRelativeError(of:)`` — and the gradient test holds);
/// 2. the median over those problems of the derivative work per solve — gradients plus
///    Hessian-vector products (plus dense Hessians for the exact trust region, plus gradients
///    spent on finite differences) — is no larger than SciPy's median of `ngev + nhev`.
///
/// Known gaps are recorded with `withKnownIssue` (so the test fails once they are fixed, prompting
/// their removal): the exact trust region on biggs_exp6 and the BFGS median (see ``cases``).
///
/// `CURVATURE_MGH_TABLE=1` prints one row per problem (ours against SciPy's count).
@Suite struct AcceptanceTests {
  /// A method and its SciPy counterpart's derivative work per peer problem.
  struct Case: Sendable, CustomTestStringConvertible {
    var label: String
    var method: any MinimizationMethod
    /// `ngev + nhev` of SciPy's method per problem, nil where SciPy did not succeed.
    var scipy: [String: Int?]
    /// Problems SciPy solves that this method is known not to, with the reason.
    var knownUnsolved: [String: String] = [:]
    /// Why the median criterion is known not to hold, if it is not.
    var knownMedianGap: String? = nil
    var testDescription: String { label }
  }

  // SciPy 1.17.1 `ngev + nhev` per problem (nil: `success` was false), copied from the peer
  // harness's baseline run (peers/results/baseline.json in the shared peer directory, rows with
  // solver scipy_newton-cg, scipy_trust-ncg, scipy_trust-exact, scipy_bfgs, scipy_l-bfgs-b;
  // gtol_inf = 1e-6, maxiter = 1000).
  static let scipyNewtonCG: [String: Int?] = [
    "rosenbrock": 250, "freudenstein_roth": 31, "powell_badly_scaled": 423,
    "brown_badly_scaled": 10, "beale": 35, "helical_valley": 72, "bard": 41, "gaussian": 6,
    "box3d": 57, "powell_singular": 91, "wood": 2366, "brown_dennis": nil, "biggs_exp6": 702,
    "watson_n9": 143, "ext_rosenbrock_n10": 250, "penalty1_n10": 105,
    "variably_dimensioned_n10": 29, "trigonometric_n10": 63, "discrete_bv_n10": 32,
    "broyden_tridiagonal_n10": 41,
  ]
  static let scipyTrustNCG: [String: Int?] = [
    "rosenbrock": 108, "freudenstein_roth": 49, "powell_badly_scaled": 217,
    "brown_badly_scaled": nil, "beale": 40, "helical_valley": 94, "bard": 42, "gaussian": 8,
    "box3d": 69, "powell_singular": 107, "wood": 465, "brown_dennis": 80, "biggs_exp6": 146,
    "watson_n9": 176, "ext_rosenbrock_n10": 158, "penalty1_n10": 167,
    "variably_dimensioned_n10": 43, "trigonometric_n10": 86, "discrete_bv_n10": 35,
    "broyden_tridiagonal_n10": 55,
  ]
  static let scipyTrustExact: [String: Int?] = [
    "rosenbrock": 49, "freudenstein_roth": 18, "powell_badly_scaled": 214,
    "brown_badly_scaled": nil, "beale": 17, "helical_valley": 19, "bard": 30, "gaussian": 6,
    "box3d": 34, "powell_singular": 36, "wood": 82, "brown_dennis": nil, "biggs_exp6": 66,
    "watson_n9": 26, "ext_rosenbrock_n10": 46, "penalty1_n10": 83,
    "variably_dimensioned_n10": 30, "trigonometric_n10": 22, "discrete_bv_n10": 6,
    "broyden_tridiagonal_n10": 12,
  ]
  static let scipyBFGS: [String: Int?] = [
    "rosenbrock": 40, "freudenstein_roth": 10, "powell_badly_scaled": 200,
    "brown_badly_scaled": 27, "beale": 17, "helical_valley": 35, "bard": 24, "gaussian": 6,
    "box3d": 29, "powell_singular": 46, "wood": 105, "brown_dennis": 37, "biggs_exp6": 47,
    "watson_n9": 90, "ext_rosenbrock_n10": 126, "penalty1_n10": 127,
    "variably_dimensioned_n10": 22, "trigonometric_n10": 29, "discrete_bv_n10": 22,
    "broyden_tridiagonal_n10": 29,
  ]
  static let scipyLBFGSB: [String: Int?] = [
    "rosenbrock": 45, "freudenstein_roth": 21, "powell_badly_scaled": 98,
    "brown_badly_scaled": 27, "beale": 16, "helical_valley": 33, "bard": 25, "gaussian": 10,
    "box3d": 39, "powell_singular": 52, "wood": 119, "brown_dennis": nil, "biggs_exp6": 44,
    "watson_n9": 249, "ext_rosenbrock_n10": 45, "penalty1_n10": 63,
    "variably_dimensioned_n10": 20, "trigonometric_n10": 33, "discrete_bv_n10": 52,
    "broyden_tridiagonal_n10": 23,
  ]

  static let cases: [Case] = [
    Case(label: "Newton-CG", method: NewtonCG(), scipy: scipyNewtonCG),
    Case(
      label: "TR Steihaug", method: TrustRegion(subproblem: .steihaug), scipy: scipyTrustNCG),
    // From the standard start with Δ₀ = 1 the exact Moré-Sorensen steps enter the valley where
    // x₁ ≈ x₅ and x₃, x₄, x₆ grow without bound while f decreases towards ≈ 0.24268 (a minimum
    // at infinity); SciPy's inexact subproblem steps (λ ≈ 0.42 on the first iteration instead of
    // the exact 0.23) take another path. Δ₀ = 0.1, 0.2, 0.5 or 2 all solve it; η = 0.15, SciPy's
    // radius rules and a Moré-Sorensen 10% boundary tolerance with the near-singular-vector
    // exit did not change the path.
    Case(
      label: "TR exact", method: TrustRegion(subproblem: .exact), scipy: scipyTrustExact,
      knownUnsolved: ["biggs_exp6": "exact steps reach the f ≈ 0.24268 valley at infinity"]),
    // Every problem is solved, but the median is 34.5 against SciPy's 32 (SciPy starts from
    // H₀ = I without the yᵀs/yᵀy scaling; dropping the scaling lowers some counts but raises
    // wood, penalty1 and brown_dennis, median 37).
    Case(
      label: "BFGS", method: BFGS(), scipy: scipyBFGS,
      knownMedianGap: "median gradients 34.5 vs SciPy's 32"),
    Case(label: "L-BFGS", method: LBFGS(), scipy: scipyLBFGSB),
  ]

  /// The median of a nonempty list (the mean of the two middle values for an even count).
  static func median(_ values: [Int]) -> Double {
    let s = values.sorted()
    let m = s.count / 2
    return s.count % 2 == 1 ? Double(s[m]) : Double(s[m - 1] + s[m]) / 2
  }

  /// Whether `value` counts as solved on `problem`: LRE ≥ 4 against f* or a known local minimum.
  static func isSolved(_ problem: TestProblem, value: Double) -> Bool {
    if let lre = problem.logRelativeError(of: value), lre >= 4 { return true }
    return problem.localMinima.contains { v in
      Swift.abs(value - v) <= 1e-4 * Swift.abs(v)
    }
  }

  @Test func medianOfEvenAndOddCounts() {
    #expect(Self.median([3, 1, 2]) == 2)
    #expect(Self.median([4, 1, 3, 2]) == 2.5)
  }

  @Test(arguments: cases)
  func solvesWhatSciPySolvesWithNoMoreWork(_ c: Case) throws {
    let table = ProcessInfo.processInfo.environment["CURVATURE_MGH_TABLE"] == "1"
    #expect(c.scipy.count == MGHProblems.peerNames.count)
    var ours: [Int] = []
    var theirs: [Int] = []
    for p in MGHProblems.peerProblems {
      let reference = try #require(c.scipy[p.name])
      guard let scipyWork = reference else { continue }
      let s = minimize(p.objective, from: p.startingPoint, using: c.method)
      let e = s.statistics.evaluations
      let work = e.gradients + e.hessianVectorProducts + e.differenceGradients + e.hessians
      ours.append(work)
      theirs.append(scipyWork)
      let solved = s.gradientNorm <= 1e-6 && Self.isSolved(p, value: s.value)
      if table {
        print(
          "| \(c.label) | \(p.name) | \(solved ? "yes" : "NO") | \(work) | \(scipyWork) | \(formatScientific(s.value, digits: 6)) | \(formatScientific(s.gradientNorm, digits: 1)) | \(s.termination.rawValue) |"
        )
      }
      if let reason = c.knownUnsolved[p.name] {
        withKnownIssue("\(c.label) on \(p.name): \(reason)") {
          #expect(solved, "\(c.label) on \(p.name): f = \(s.value), \(s.termination)")
        }
      } else {
        #expect(solved, "\(c.label) on \(p.name): f = \(s.value), \(s.termination)")
      }
    }
    let ourMedian = Self.median(ours)
    let scipyMedian = Self.median(theirs)
    if table {
      print("| \(c.label) | median over \(ours.count) | | \(ourMedian) | \(scipyMedian) | | | |")
    }
    if let reason = c.knownMedianGap {
      withKnownIssue("\(c.label): \(reason)") {
        #expect(ourMedian <= scipyMedian, "\(c.label): median \(ourMedian) vs SciPy \(scipyMedian)")
      }
    } else {
      #expect(ourMedian <= scipyMedian, "\(c.label): median \(ourMedian) vs SciPy \(scipyMedian)")
    }
  }
}
