import Curvature

/// The scalable problems of the peer harness's large suite (../shared/peers/PROBLEMS.md), as
/// ``TestProblem`` values with exact Hessian-vector products.
///
/// Every builder creates its data when called; nothing of size n is stored statically.
public enum ScalableProblems {
  /// f* of `logreg_m10000_d100` (the peer's reference: SciPy trust-exact with the exact Hessian,
  /// ‖∇f‖∞ = 6.6e−12).
  public static let logisticRegressionOptimalValue = 0.42477139791365287

  /// The names of the large suite, in the peer harness's order.
  public static let largeNames = [
    "ext_rosenbrock_n1000", "ext_rosenbrock_n100000", "ext_rosenbrock_n1000000",
    "quadratic_n10000", "logreg_m10000_d100",
  ]

  /// The scalable CUTEst problems outside the peer suites, by name (see ``cutestProblem(named:)``).
  public static let cutestNames = [
    "bdqrtic_n1000", "bdqrtic_n5000", "bdqrtic_n100000", "nondquar_n100", "nondquar_n1000",
    "nondquar_n100000",
  ]

  /// The CUTEst problem `bdqrtic_n<n>` or `nondquar_n<n>` (any n the problem admits), built on
  /// demand; nil for other names.
  public static func cutestProblem(named name: String) -> TestProblem? {
    for (prefix, build) in [("bdqrtic_n", bdqrtic(n:)), ("nondquar_n", nondquar(n:))] {
      guard name.hasPrefix(prefix), let n = Int(name.dropFirst(prefix.count)) else { continue }
      let smallest = prefix == "bdqrtic_n" ? 5 : 3
      return n >= smallest ? build(n) : nil
    }
    return nil
  }

  /// The extended Rosenbrock function in n (even) variables, named `ext_rosenbrock_n<n>`:
  /// x₀ = (−1.2, 1, …), f* = 0 at x* = 1 (see ``ExtendedRosenbrock``), with its residual form
  /// (n residuals, Jacobian products) for least-squares methods.
  public static func extendedRosenbrock(n: Int) -> TestProblem {
    let f = ExtendedRosenbrock(dimension: n)
    return TestProblem(
      name: "ext_rosenbrock_n\(n)", collection: "large", number: 21,
      startingPoint: f.startingPoint, optimalValue: 0, minimizer: f.minimizer,
      source: "Moré, Garbow & Hillstrom, ACM TOMS 7(1):17-41 (1981), problem 21",
      objective: FunctionObjective(f), residuals: f.functionResiduals)
  }

  /// The diagonal quadratic ½Σ Dᵢxᵢ² − Σxᵢ with Dᵢ log-spaced from 1 to κ, named
  /// `quadratic_n<n>` (with `_kappa<κ>` appended when κ ≠ 10⁴): x₀ = 0, x* = 1/D,
  /// f* = −½Σ1/Dᵢ (see ``ConditionedQuadratic``).
  public static func quadratic(n: Int = 10_000, conditionNumber: Double = 1e4) -> TestProblem {
    let f = ConditionedQuadratic(dimension: n, conditionNumber: conditionNumber)
    let suffix = conditionNumber == 1e4 ? "" : "_kappa\(formatNumber(conditionNumber))"
    return TestProblem(
      name: "quadratic_n\(n)\(suffix)", collection: "large", startingPoint: f.startingPoint,
      optimalValue: f.optimalValue, minimizer: f.minimizer,
      source: "diagonal quadratic with log-spaced eigenvalues (peer harness PROBLEMS.md)",
      objective: FunctionObjective(f))
  }

  /// L2-regularized logistic regression on the seeded synthetic data
  /// (``LogisticRegression/synthetic(samples:features:seed:regularization:labelNoise:rows:)``), named
  /// `logreg_m<m>_d<d>`: x₀ = 0 (f = log 2). f* is known for the defaults only
  /// (0.42477139791365287).
  public static func logisticRegression(
    samples: Int = 10_000, features: Int = 100, regularization: Double = 1e-3
  ) -> TestProblem {
    let f = LogisticRegression.synthetic(
      samples: samples, features: features, regularization: regularization)
    let isReference = samples == 10_000 && features == 100 && regularization == 1e-3
    return TestProblem(
      name: "logreg_m\(samples)_d\(features)", collection: "logreg",
      startingPoint: f.startingPoint,
      optimalValue: isReference ? logisticRegressionOptimalValue : nil,
      source: "synthetic SplitMix64 data, seed 42 (peer harness PROBLEMS.md)",
      objective: FunctionObjective(f))
  }

  /// CUTEst's banded quartic BDQRTIC in n variables, named `bdqrtic_n<n>` (see ``BDQRTIC``):
  /// x₀ = 1; f* is positive and known here for n = 1000 only (3983.8179505766, the value L-BFGS,
  /// Newton-CG and the trust regions agree on to 13 digits).
  public static func bdqrtic(n: Int) -> TestProblem {
    let f = BDQRTIC(dimension: n)
    return TestProblem(
      name: "bdqrtic_n\(n)", collection: "cutest", startingPoint: f.startingPoint,
      optimalValue: n == 1000 ? 3983.8179505766 : nil,
      source: "CUTEst BDQRTIC (Conn, Gould, Lescrenier & Toint 1994, problem 61)",
      objective: FunctionObjective(f))
  }

  /// CUTEst's nondiagonal quartic NONDQUAR in n variables, named `nondquar_n<n>` (see
  /// ``NONDQUAR``): x₀ = (1, −1, …), f* = 0 at x* = 0, where the Hessian is singular.
  public static func nondquar(n: Int) -> TestProblem {
    let f = NONDQUAR(dimension: n)
    return TestProblem(
      name: "nondquar_n\(n)", collection: "cutest", startingPoint: f.startingPoint,
      optimalValue: 0, minimizer: .zeros(n),
      source: "CUTEst NONDQUAR (Conn, Gould, Lescrenier & Toint 1994, problem 57)",
      objective: FunctionObjective(f))
  }

  /// The problem of the large suite named `name`, built on demand; nil for other names.
  public static func problem(named name: String) -> TestProblem? {
    switch name {
    case "ext_rosenbrock_n1000": return extendedRosenbrock(n: 1000)
    case "ext_rosenbrock_n100000": return extendedRosenbrock(n: 100_000)
    case "ext_rosenbrock_n1000000": return extendedRosenbrock(n: 1_000_000)
    case "quadratic_n10000": return quadratic(n: 10_000)
    case "logreg_m10000_d100": return logisticRegression()
    default: return nil
    }
  }

  /// The peer harness's large suite (ext_rosenbrock_n1000, _n100000, _n1000000,
  /// quadratic_n10000, logreg_m10000_d100), built afresh on every access (about 40 MB of
  /// vectors and data); use ``problem(named:)`` to build one at a time.
  public static var large: [TestProblem] {
    largeNames.map { problem(named: $0)! }
  }
}
