import Curvature
import Testing

@testable import CurvatureProblems

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Finite-difference and known-value checks of the Moré-Garbow-Hillstrom collection.
@Suite struct MGHTests {
  static let names = MGHProblems.all.map(\.name)

  static func problem(_ name: String) -> TestProblem {
    guard let p = MGHProblems.named(name) else { fatalError("no MGH problem named \(name)") }
    return p
  }

  static func definition(_ name: String) -> any MGHDefinition {
    guard let d = MGHProblems.definitions.first(where: { $0.name == name }) else {
      fatalError("no MGH definition named \(name)")
    }
    return d
  }

  /// x₀ moved by up to 10 % of (|x₀ᵢ| + 0.1) in each coordinate, seeded by the problem number.
  static func perturbedPoint(_ p: TestProblem) -> Vector {
    var rng = SplitMix64(seed: 1000 + UInt64(p.number ?? 0))
    return Vector(count: p.dimension) { i in
      let x = p.startingPoint[i]
      return x + 0.1 * (abs(x) + 0.1) * (2 * rng.uniform() - 1)
    }
  }

  /// Central differences of f: (f(x + hᵢeᵢ) − f(x − hᵢeᵢ))/(2hᵢ), hᵢ = 6·10⁻⁶ max(0.1, |xᵢ|).
  static func centralGradient(_ p: TestProblem, at x: Vector) -> Vector {
    Vector(count: x.count) { i in
      let h = 6e-6 * max(0.1, abs(x[i]))
      var plus = x
      var minus = x
      plus[i] += h
      minus[i] -= h
      return (p.objective.value(at: plus) - p.objective.value(at: minus)) / (plus[i] - minus[i])
    }
  }

  /// Central differences of the gradient along v with h = ∛ε(1 + ‖x‖)/‖v‖.
  static func centralHessianProduct(_ p: TestProblem, at x: Vector, direction v: Vector) -> Vector {
    let h = 6e-6 * (1 + x.norm) / v.norm
    var gp = Vector.zeros(x.count)
    var gm = Vector.zeros(x.count)
    _ = p.objective.value(at: x + h * v, gradient: &gp)
    _ = p.objective.value(at: x - h * v, gradient: &gm)
    return (gp - gm) / (2 * h)
  }

  static func maxAbsDifference(_ a: Vector, _ b: Vector) -> Double {
    (a - b).normInfinity
  }

  static func points(_ p: TestProblem) -> [Vector] {
    [p.startingPoint, perturbedPoint(p)]
  }

  @Test func catalogHasAll35ProblemsInMGHOrder() {
    #expect(MGHProblems.all.count == 35)
    #expect(MGHProblems.all.map { $0.number ?? 0 } == Array(1...35))
    #expect(Set(Self.names).count == 35)
    #expect(MGHProblems.all.allSatisfy { $0.collection == "mgh" && $0.residuals != nil })
    #expect(MGHProblems.all.allSatisfy { $0.objective.hasExactCurvature })
    #expect(MGHProblems.named("no_such_problem") == nil)
  }

  @Test func peerProblemsAreFlaggedInPeerOrder() {
    #expect(MGHProblems.peerNames.count == 20)
    #expect(MGHProblems.peerProblems.map(\.name) == MGHProblems.peerNames)
  }

  /// (n, m) for every problem, from MGH with the sizes chosen here.
  static let sizes: [String: (n: Int, m: Int)] = [
    "rosenbrock": (2, 2), "freudenstein_roth": (2, 2), "powell_badly_scaled": (2, 2),
    "brown_badly_scaled": (2, 3), "beale": (2, 3), "jennrich_sampson": (2, 10),
    "helical_valley": (3, 3), "bard": (3, 15), "gaussian": (3, 15), "meyer": (3, 16),
    "gulf_research": (3, 99), "box3d": (3, 10), "powell_singular": (4, 4), "wood": (4, 6),
    "kowalik_osborne": (4, 11), "brown_dennis": (4, 20), "osborne1": (5, 33),
    "biggs_exp6": (6, 13), "osborne2": (11, 65), "watson_n9": (9, 31),
    "ext_rosenbrock_n10": (10, 10), "ext_powell_n12": (12, 12), "penalty1_n10": (10, 11),
    "penalty2_n10": (10, 20), "variably_dimensioned_n10": (10, 12), "trigonometric_n10": (10, 10),
    "brown_almost_linear_n10": (10, 10), "discrete_bv_n10": (10, 10),
    "discrete_integral_n10": (10, 10), "broyden_tridiagonal_n10": (10, 10),
    "broyden_banded_n10": (10, 10), "linear_full_rank": (10, 20), "linear_rank1": (10, 20),
    "linear_rank1_zero": (10, 20), "chebyquad_n8": (8, 8),
  ]

  @Test(arguments: names)
  func dimensionsMatchTheCollection(name: String) throws {
    let p = Self.problem(name)
    let size = try #require(Self.sizes[name])
    #expect(p.dimension == size.n)
    #expect(p.residualCount == size.m)
    #expect(p.startingPoint.count == size.n)
    if let x = p.minimizer { #expect(x.count == size.n) }
  }

  /// The "f(x0) values (sanity check)" of the peer harness, as printed there.
  static let peerStartingValues: [(name: String, printed: String)] = Array(
    zip(
      MGHProblems.peerNames,
      [
        "24.2", "400.5", "1.1352617173", "9.99998000003e11", "14.203125", "2500", "41.68169586",
        "3.888106991e-6", "1031.15381", "215", "19192", "7926693.337", "0.77907008", "30", "121",
        "148032.56535", "2198551.1625", "7.0757594662e-3", "7.88519101e-4", "21",
      ]))

  /// Half a unit in the last printed digit of a decimal string such as "3.888106991e-6" (zero for
  /// strings of fewer than 8 significant digits, which the peer printed exactly).
  static func halfUnitInLastPlace(_ printed: String) -> Double {
    let parts = printed.lowercased().split(separator: "e")
    let mantissa = String(parts[0])
    let exponent = parts.count > 1 ? Int(parts[1])! : 0
    let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
    let digits = mantissa.filter(\.isNumber).drop(while: { $0 == "0" }).count
    if digits < 8 { return 0 }
    return 0.5 * Double("1e\(exponent - decimals)")!
  }

  @Test(arguments: peerStartingValues.map(\.name))
  func startingValueMatchesPeerHarness(name: String) throws {
    let printed = try #require(Self.peerStartingValues.first { $0.name == name }?.printed)
    let expected = try #require(Double(printed))
    let p = Self.problem(name)
    let f = p.objective.value(at: p.startingPoint)
    let tolerance = max(1e-9 * abs(expected), Self.halfUnitInLastPlace(printed))
    #expect(abs(f - expected) <= tolerance, "f(x0) = \(f), peer \(printed)")
  }

  @Test(arguments: names)
  func gradientMatchesCentralDifferences(name: String) {
    let p = Self.problem(name)
    for x in Self.points(p) {
      var g = Vector.zeros(p.dimension)
      let f = p.objective.value(at: x, gradient: &g)
      #expect(abs(f - p.objective.value(at: x)) <= 1e-14 * abs(f))
      let error = (Self.centralGradient(p, at: x) - g).normInfinity
      #expect(error <= 1e-7 * g.normInfinity + 1e-9 * abs(f), "error \(error) at \(x)")
    }
  }

  @Test(arguments: names)
  func hessianVectorProductMatchesDifferencesOfGradients(name: String) {
    let p = Self.problem(name)
    var rng = SplitMix64(seed: 2000 + UInt64(p.number ?? 0))
    for x in Self.points(p) {
      let v = Vector(count: p.dimension) { _ in 2 * rng.uniform() - 1 }
      var hv = Vector.zeros(p.dimension)
      p.objective.hessianVectorProduct(at: x, direction: v, into: &hv)
      let error = (Self.centralHessianProduct(p, at: x, direction: v) - hv).normInfinity
      #expect(error <= 1e-5 * hv.normInfinity + 1e-12, "error \(error) at \(x)")
    }
  }

  @Test(arguments: names)
  func hessianIsSymmetricAndAgreesWithProducts(name: String) {
    let p = Self.problem(name)
    let n = p.dimension
    var rng = SplitMix64(seed: 3000 + UInt64(p.number ?? 0))
    for x in Self.points(p) {
      // Columns Hеⱼ from the Dual evaluation, before any symmetrization.
      var columns = [Vector]()
      for j in 0..<n {
        var column = Vector.zeros(n)
        p.objective.hessianVectorProduct(at: x, direction: .basis(j, count: n), into: &column)
        columns.append(column)
      }
      let h = p.objective.hessian(at: x)
      let scale = max(h.maxAbs, 1e-300)
      for i in 0..<n {
        for j in 0..<n {
          #expect(abs(columns[j][i] - columns[i][j]) <= 1e-10 * scale, "H[\(i),\(j)] asymmetric")
        }
      }
      let v = Vector(count: n) { _ in 2 * rng.uniform() - 1 }
      var hv = Vector.zeros(n)
      p.objective.hessianVectorProduct(at: x, direction: v, into: &hv)
      #expect((h * v - hv).normInfinity <= 1e-10 * scale * v.norm1)
    }
  }

  @Test(arguments: names)
  func jacobianMatchesCentralDifferencesOfResiduals(name: String) throws {
    let p = Self.problem(name)
    let residuals = try #require(p.residuals)
    let m = residuals.residualCount
    for x in Self.points(p) {
      let jac = residuals.jacobian(at: x)
      #expect(jac.rows == m && jac.columns == p.dimension)
      var r = Vector.zeros(m)
      residuals.residuals(at: x, into: &r)
      #expect(abs(r.normSquared - p.objective.value(at: x)) <= 1e-13 * r.normSquared)
      var rp = Vector.zeros(m)
      var rm = Vector.zeros(m)
      var worst = 0.0
      for j in 0..<p.dimension {
        let h = 6e-6 * max(0.1, abs(x[j]))
        var plus = x
        var minus = x
        plus[j] += h
        minus[j] -= h
        residuals.residuals(at: plus, into: &rp)
        residuals.residuals(at: minus, into: &rm)
        for i in 0..<m {
          let fd = (rp[i] - rm[i]) / (plus[j] - minus[j])
          worst = max(worst, abs(fd - jac[i, j]))
        }
      }
      #expect(worst <= 1e-7 * jac.maxAbs + 1e-9 * r.normInfinity, "error \(worst) at \(x)")
    }
  }

  @Test(arguments: names)
  func jacobianMatchesForwardModeOfResiduals(name: String) {
    let d = Self.definition(name)
    let p = Self.problem(name)
    for x in Self.points(p) {
      let jac = d.jacobian(at: x.storage)
      let scale = max(jac.entries.map(abs).max() ?? 0, 1e-300)
      for j in 0..<d.dimension {
        let xd = (0..<d.dimension).map { Dual(value: x[$0], derivative: $0 == j ? 1 : 0) }
        let r = d.residuals(at: xd)
        for i in 0..<d.residualCount {
          #expect(
            abs(r[i].derivative - jac[i, j]) <= 1e-12 * scale, "J[\(i),\(j)] of \(name)")
        }
      }
    }
  }

  @Test(arguments: names)
  func valueAtMinimizerIsOptimalValue(name: String) throws {
    let p = Self.problem(name)
    let fStar = try #require(p.optimalValue)
    let x = try #require(p.minimizer)
    var g = Vector.zeros(p.dimension)
    let f = p.objective.value(at: x, gradient: &g)
    if fStar == 0 {
      #expect(f <= 1e-20, "f(x*) = \(f)")
    } else {
      #expect(abs(f - fStar) <= 1e-9 * fStar, "f(x*) = \(f), f* = \(fStar)")
    }
    #expect(p.logRelativeError(of: f)! >= 8)
    // x* is stationary: its gradient is negligible next to the gradient at x₀.
    var g0 = Vector.zeros(p.dimension)
    _ = p.objective.value(at: p.startingPoint, gradient: &g0)
    #expect(g.normInfinity <= 1e-9 * max(1, g0.normInfinity), "‖∇f(x*)‖ = \(g.normInfinity)")
  }

  /// f* as printed in MGH (which truncates): the stored values must agree with every printed digit.
  static let publishedOptimalValues: [(name: String, printed: String)] = [
    ("jennrich_sampson", "124.362"), ("bard", "8.21487e-3"), ("gaussian", "1.12793e-8"),
    ("meyer", "87.9458"), ("kowalik_osborne", "3.07505e-4"), ("brown_dennis", "85822.2"),
    ("osborne1", "5.46489e-5"), ("osborne2", "4.01377e-2"), ("watson_n9", "1.39976e-6"),
    ("penalty1_n10", "7.08765e-5"), ("penalty2_n10", "2.93660e-4"), ("chebyquad_n8", "3.51687e-3"),
  ]

  @Test(arguments: publishedOptimalValues.map(\.name))
  func optimalValueAgreesWithPublishedDigits(name: String) throws {
    let printed = try #require(Self.publishedOptimalValues.first { $0.name == name }?.printed)
    let published = try #require(Double(printed))
    let fStar = try #require(Self.problem(name).optimalValue)
    let parts = printed.split(separator: "e")
    let decimals = parts[0].split(separator: ".").dropFirst().first?.count ?? 0
    let exponent = parts.count > 1 ? Int(parts[1])! : 0
    let unit = Double("1e\(exponent - decimals)")!
    #expect(fStar >= published - 1e-3 * unit && fStar < published + unit, "f* = \(fStar)")
  }

  @Test func closedFormOptimalValues() {
    #expect(Self.problem("linear_full_rank").optimalValue == 10)
    #expect(abs(Self.problem("linear_rank1").optimalValue! - 380.0 / 82) <= 1e-15)
    #expect(abs(Self.problem("linear_rank1_zero").optimalValue! - 454.0 / 74) <= 1e-15)
    #expect(Self.problem("freudenstein_roth").localMinima == [48.9842536792400])
    #expect(Self.problem("brown_almost_linear_n10").localMinima == [1])
  }

  @Test func localMinimaValues() {
    // Freudenstein-Roth's local minimizer.
    let fr = Self.problem("freudenstein_roth")
    let x = Vector(MGHFreudensteinRoth.localMinimizer)
    #expect(abs(fr.objective.value(at: x) - fr.localMinima[0]) <= 1e-12 * fr.localMinima[0])
    // Brown almost-linear: f = 1 at (0, …, 0, n + 1).
    let bal = Self.problem("brown_almost_linear_n10")
    var corner = Vector.zeros(10)
    corner[9] = 11
    #expect(bal.objective.value(at: corner) == 1)
    // Box 3-D: also zero at (10, 1, −1) and on the line x₁ = x₂, x₃ = 0.
    let box = Self.problem("box3d")
    #expect(box.objective.value(at: [10, 1, -1]) <= 1e-28)
    #expect(box.objective.value(at: [2.5, 2.5, 0]) == 0)
  }

  @Test func helicalValleyThetaMatchesPeerDefinitionInAllQuadrants() throws {
    // Peer: θ = arctan(x₂/x₁)/2π (+ ½ when x₁ < 0), i.e. atan2(x₂, x₁)/2π (+ 1 when both < 0).
    let p = Self.problem("helical_valley")
    let residuals = try #require(p.residuals)
    var r = Vector.zeros(3)
    for (a, b) in [(0.3, 2.0), (-0.3, 2.0), (-0.3, -2.0), (0.3, -2.0), (2.0, 0.3), (-2.0, -0.3)] {
      let theta = atan2(b, a) / (2 * Double.pi) + (a < 0 && b < 0 ? 1 : 0)
      residuals.residuals(at: [a, b, 0.7], into: &r)
      #expect(abs(r[0] - 10 * (0.7 - 10 * theta)) <= 1e-12, "x = (\(a), \(b))")
      let x: Vector = [a, b, 0.7]
      var g = Vector.zeros(3)
      let f = p.objective.value(at: x, gradient: &g)
      let error = (Self.centralGradient(p, at: x) - g).normInfinity
      #expect(error <= 1e-7 * g.normInfinity + 1e-9 * abs(f))
    }
  }

  @Test func helicalValleyIsContinuousAcrossTheX2Axis() {
    // θ jumps only across x₁ < 0, x₂ = 0; across x₁ = 0 (x₂ ≠ 0) f is smooth.
    let p = Self.problem("helical_valley")
    let left = p.objective.value(at: [-1e-9, 1, 0.3])
    let right = p.objective.value(at: [1e-9, 1, 0.3])
    let middle = p.objective.value(at: [0, 1, 0.3])
    #expect(abs(left - middle) <= 1e-6 && abs(right - middle) <= 1e-6)
    // At x₁ = 0 the peer harness takes θ = 1/4 for x₂ > 0: r₁ = 10(x₃ − 2.5).
    #expect(abs(middle - (100 * (0.3 - 2.5) * (0.3 - 2.5) + 0.09)) <= 1e-10)
  }
}

/// Forward-mode dual numbers against closed-form derivatives.
@Suite struct DualTests {
  static func derivative(_ f: (Dual) -> Dual, at x: Double) -> (value: Double, slope: Double) {
    let y = f(Dual(value: x, derivative: 1))
    return (y.value, y.derivative)
  }

  @Test func elementaryFunctionsHaveTheirDerivatives() {
    let x = 0.7
    let cases: [(Dual) -> Dual] = [
      { Dual.exp($0) }, { Dual.log($0) }, { Dual.sin($0) }, { Dual.cos($0) }, { Dual.atan($0) },
      { Dual.sqrt($0) }, { Dual.pow($0, 3) }, { Dual.pow($0, 0) }, { 1 / $0 },
      { $0 * $0 / ($0 + 1) },
      { 3 - 2 * $0 }, { -$0 + 0.5 }, { ($0 - 0.25) / 4 }, { $0 / Dual(2) - Dual(1) },
    ]
    let expected: [(Double, Double)] = [
      (exp(x), exp(x)), (log(x), 1 / x), (sin(x), cos(x)), (cos(x), -sin(x)),
      (atan(x), 1 / 1.49),
      (0.7.squareRoot(), 0.5 / 0.7.squareRoot()), (0.343, 3 * 0.49), (1, 0), (1 / 0.7, -1 / 0.49),
      (0.49 / 1.7, (2 * 0.7 * 1.7 - 0.49) / (1.7 * 1.7)), (1.6, -2), (-0.2, -1), (0.1125, 0.25),
      (-0.65, 0.5),
    ]
    for (f, e) in zip(cases, expected) {
      let d = Self.derivative(f, at: x)
      #expect(abs(d.value - e.0) <= 1e-15 * max(1, abs(e.0)))
      #expect(abs(d.slope - e.1) <= 1e-15 * max(1, abs(e.1)))
    }
  }

  @Test func genericCodeRunsInBothScalars() {
    func f<T: ScalarMath>(_ x: T) -> T { T.exp(x) * (x * x) - 3 * x }
    #expect(abs(f(2.0) - (exp(2.0) * 4 - 6)) <= 1e-14)
    #expect(f(Dual(2)).derivative == 0)
    #expect(f(Dual(2)).value == f(2.0))
    #expect(abs(f(Dual(value: 2, derivative: 1)).derivative - (exp(2.0) * 8 - 3)) <= 1e-13)
  }
}
