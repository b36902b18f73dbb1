import Curvature

/// The Moré-Garbow-Hillstrom collection: the 35 unconstrained least-squares test problems of
/// J. J. Moré, B. S. Garbow and K. E. Hillstrom, "Testing Unconstrained Optimization Software",
/// ACM Transactions on Mathematical Software 7(1):17-41, 1981.
///
/// Every problem minimizes f(x) = Σᵢ rᵢ(x)² (no ½, so f* is the paper's value) and carries the
/// residual form with its analytic Jacobian, an exact gradient 2Jᵀr and exact Hessian-vector
/// products (forward-mode `Dual` arithmetic over the analytic gradient), the standard starting
/// point, f*, a minimizer where one is known and the values of commonly reached local minima.
/// Scalable problems use the sizes of the peer harness (n = 10; Watson n = 9; extended Powell
/// n = 12; Chebyquad n = 8; the linear functions n = 10, m = 20).
public enum MGHProblems {
  /// The definitions in MGH order (problem 1 first).
  static let definitions: [any MGHDefinition] = [
    MGHRosenbrock(),
    MGHFreudensteinRoth(),
    MGHPowellBadlyScaled(),
    MGHBrownBadlyScaled(),
    MGHBeale(),
    MGHJennrichSampson(),
    MGHHelicalValley(),
    MGHBard(),
    MGHGaussian(),
    MGHMeyer(),
    MGHGulfResearch(),
    MGHBox3D(),
    MGHPowellSingular(),
    MGHWood(),
    MGHKowalikOsborne(),
    MGHBrownDennis(),
    MGHOsborne1(),
    MGHBiggsEXP6(),
    MGHOsborne2(),
    MGHWatson(dimension: 9),
    MGHExtendedRosenbrock(dimension: 10),
    MGHExtendedPowellSingular(dimension: 12),
    MGHPenalty1(dimension: 10),
    MGHPenalty2(dimension: 10),
    MGHVariablyDimensioned(dimension: 10),
    MGHTrigonometric(dimension: 10),
    MGHBrownAlmostLinear(dimension: 10),
    MGHDiscreteBoundaryValue(dimension: 10),
    MGHDiscreteIntegralEquation(dimension: 10),
    MGHBroydenTridiagonal(dimension: 10),
    MGHBroydenBanded(dimension: 10),
    MGHLinearFullRank(dimension: 10, residualCount: 20),
    MGHLinearRankOne(dimension: 10, residualCount: 20),
    MGHLinearRankOneZero(dimension: 10, residualCount: 20),
    MGHChebyquad(dimension: 8),
  ]

  /// All 35 problems in MGH order (``TestProblem/number`` is the MGH number).
  public static let all: [TestProblem] = definitions.map { $0.makeTestProblem() }

  /// The names of the 20 problems the peer harness runs, in its order.
  public static let peerNames: [String] = [
    "rosenbrock", "freudenstein_roth", "powell_badly_scaled", "brown_badly_scaled", "beale",
    "helical_valley", "bard", "gaussian", "box3d", "powell_singular", "wood", "brown_dennis",
    "biggs_exp6", "watson_n9", "ext_rosenbrock_n10", "penalty1_n10", "variably_dimensioned_n10",
    "trigonometric_n10", "discrete_bv_n10", "broyden_tridiagonal_n10",
  ]

  /// The 20 peer-harness problems, in the peer order.
  public static var peerProblems: [TestProblem] { peerNames.compactMap { named($0) } }

  /// The problem with this name (e.g. `rosenbrock`, `watson_n9`), or nil.
  public static func named(_ name: String) -> TestProblem? {
    all.first { $0.name == name }
  }
}
