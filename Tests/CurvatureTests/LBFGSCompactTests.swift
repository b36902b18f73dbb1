import RealModule
import Testing

@testable import Curvature

/// f(x) = Σ 100(x₂ᵢ − x₂ᵢ₋₁²)² + (1 − x₂ᵢ₋₁)², the extended Rosenbrock function (MGH 21);
/// also used by `BlockedMultiDotThreadingTests`.
func extendedRosenbrock(_ n: Int) -> FunctionObjective {
  FunctionObjective(
    dimension: n,
    gradient: { x, g in
      var f = 0.0
      for i in stride(from: 0, to: n, by: 2) {
        let t = x[i + 1] - x[i] * x[i]
        let u = 1 - x[i]
        f += 100 * t * t + u * u
        g[i] = -400 * x[i] * t - 2 * u
        g[i + 1] = 200 * t
      }
      return f
    })
}

/// f(x) = ½ Σ dᵢxᵢ² − Σ xᵢ with dᵢ log-spaced in [1, 10²]: minimizer xᵢ = 1/dᵢ.
private func scaledQuadratic(_ n: Int) -> FunctionObjective {
  FunctionObjective(
    dimension: n,
    gradient: { x, g in
      var f = 0.0
      for i in 0..<n {
        let d = Double.pow(10, 2 * Double(i) / Double(n - 1))
        f += 0.5 * d * x[i] * x[i] - x[i]
        g[i] = d * x[i] - 1
      }
      return f
    })
}

private func relativeDifference(_ a: Vector, _ b: Vector) -> Double {
  (a - b).norm / Swift.max(b.norm, 1e-300)
}

@Suite struct LBFGSCompactTests {
  /// The blocked passes agree with separate level-1 kernels, across block boundaries and tails.
  @Test(arguments: [1, 7, 5001, 2 * multiDotBlockLength + 37])
  func blockedPassesMatchPlainKernels(_ n: Int) {
    var rng = SplitMix64(seed: UInt64(n))
    let a = Vector(count: n) { _ in rng.normal() }
    let b = Vector(count: n) { _ in rng.normal() }
    let sources = (0..<5).map { _ in Vector(count: n) { _ in rng.normal() } }
    let c: [Double] = [0.5, -2, 3, 0.25, -1]
    var y = Vector.zeros(n)
    var dotsA = [Double](repeating: .nan, count: 5)
    var d = Vector.zeros(n)
    var dotsD = [Double](repeating: .nan, count: 5)
    var ddBlocked = 0.0
    var aSum = (aa: 0.0, ay: 0.0, yy: 0.0, aMax: 0.0)
    sources[0].withUnsafeBufferPointer { p0 in
      sources[1].withUnsafeBufferPointer { p1 in
        sources[2].withUnsafeBufferPointer { p2 in
          sources[3].withUnsafeBufferPointer { p3 in
            sources[4].withUnsafeBufferPointer { p4 in
              let ptrs = [p0, p1, p2, p3, p4].map { $0.baseAddress! }
              ptrs.withUnsafeBufferPointer { sp in
                a.withUnsafeBufferPointer { pa in
                  b.withUnsafeBufferPointer { pb in
                    y.withUnsafeMutableBufferPointer { py in
                      dotsA.withUnsafeMutableBufferPointer { da in
                        aSum = blockedDifferenceAndDots(
                          count: n, newer: pa.baseAddress!, older: pb.baseAddress!,
                          into: py.baseAddress!, sources: sp, newerDots: da)
                      }
                    }
                  }
                }
                c.withUnsafeBufferPointer { cp in
                  d.withUnsafeMutableBufferPointer { pd in
                    dotsD.withUnsafeMutableBufferPointer { dd in
                      ddBlocked = blockedCombinationAndDots(
                        count: n, sources: sp, coefficients: cp, into: pd.baseAddress!, dots: dd,
                        dotCount: 5)
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
    let yRef = a - b
    #expect(relativeDifference(y, yRef) == 0)
    #expect(Swift.abs(aSum.aa - dot(a, a)) <= 1e-12 * dot(a, a))
    #expect(Swift.abs(aSum.ay - dot(a, yRef)) <= 1e-12 * a.norm * yRef.norm)
    #expect(Swift.abs(aSum.yy - dot(yRef, yRef)) <= 1e-12 * dot(yRef, yRef))
    #expect(aSum.aMax == a.normInfinity)  // a maximum is exact
    var dRef = Vector.zeros(n)
    for j in 0..<5 { axpy(c[j], sources[j], &dRef) }
    #expect(relativeDifference(d, dRef) <= 1e-14)
    #expect(Swift.abs(ddBlocked - dot(dRef, dRef)) <= 1e-12 * dot(dRef, dRef))
    for j in 0..<5 {
      let v = sources[j]
      #expect(Swift.abs(dotsA[j] - dot(a, v)) <= 1e-12 * a.norm * v.norm)
      #expect(Swift.abs(dotsD[j] - dot(dRef, v)) <= 1e-12 * dRef.norm * v.norm)
    }
  }

  /// On a random history (gradients of a random SPD diagonal quadratic plus noise, with one pair
  /// of negative curvature that both forms must skip) the compact form gives the directions of
  /// the two-loop recursion to 1e-12 relative, through eviction of the oldest pairs and a
  /// rejected pair while the memory is full.
  @Test(arguments: [(3, 40), (5, 300), (10, 600)])
  func compactDirectionsMatchTwoLoop(_ memory: Int, _ n: Int) {
    checkAgainstTwoLoop(Double.self, memory: memory, n: n, tolerance: 1e-12)
  }

  /// With the history stored in single precision the directions stay within 1e-5 of the
  /// two-loop recursion's (which stores the exact pairs), the search direction is exactly the
  /// rounded one, and the same pairs are kept or skipped.
  @Test(arguments: [(3, 40), (10, 600)])
  func singlePrecisionDirectionsTrackTwoLoop(_ memory: Int, _ n: Int) {
    checkAgainstTwoLoop(Float.self, memory: memory, n: n, tolerance: 1e-5)
  }

  private func checkAgainstTwoLoop<S: BlockedPassScalar>(
    _ storage: S.Type, memory: Int, n: Int, tolerance: Double
  ) {
    var rng = SplitMix64(seed: 7)
    let a = Vector(count: n) { _ in Double.exp(4 * rng.uniform()) }
    var g = Vector(count: n) { _ in rng.normal() }
    var compact = LBFGSCompactHistory<S>(capacity: memory, gradient: g)
    var classic = LBFGSHistory(capacity: memory, dimension: n)
    for k in 0..<(3 * memory + 3) {
      let slope = compact.computeDirection()
      var p = g
      classic.applyInPlace(&p)
      p.scale(by: -1)
      let d = compact.direction
      #expect(relativeDifference(d, p) <= tolerance, "iteration \(k)")
      // The slope is that of the direction searched along.
      #expect(Swift.abs(slope - dot(g, d)) <= 1e-12 * g.norm * d.norm)
      #expect(Swift.abs(slope - dot(g, p)) <= tolerance * g.norm * p.norm)
      if S.self == Float.self {
        for i in 0..<n where d[i] != Double(Float(d[i])) {
          Issue.record("direction element \(i) is not a single-precision number")
          break
        }
      }
      #expect(compact.count == classic.count)
      let t = 0.2 + rng.uniform()
      var s = d
      s.scale(by: t)
      // y = A s (+ noise), or −A s once: a pair of negative curvature.
      var y = (k == memory + 1 ? -1.0 : 1.0) * (a .* s)
      for i in 0..<n { y[i] += 1e-3 * rng.normal() * s.norm / Double(n).squareRoot() }
      let gNew = g + y
      var trial = compact.takeTrialGradient()
      trial.assign(gNew)
      compact.restoreTrialGradient(&trial)
      // Every other step passes gₖ₊₁ᵀdₖ as a line search would, so the pass skips dₖ.
      let derivative = k % 2 == 0 ? dot(gNew, d) : .nan
      let storedCompact = compact.push(step: t, derivative: derivative, threshold: 1e-10)
      var sCopy = s
      var yCopy = y
      let storedClassic = classic.push(s: &sCopy, y: &yCopy, threshold: 1e-10)
      #expect(storedCompact == storedClassic)
      #expect(storedCompact == (k != memory + 1))
      #expect(
        Swift.abs(compact.gamma - classic.gamma) <= Swift.max(tolerance, 1e-12) * classic.gamma)
      g = gNew
      #expect(compact.gradient == g)
    }
  }

  /// The single-precision passes round each stored vector once and dot the rounded values:
  /// y = fl₃₂(a − b) exactly, d = fl₃₂(Σ cⱼvⱼ) with its widened copy, the products those of the
  /// rounded vectors; threads change no bit.
  @Test(arguments: [7, 5001, 2 * multiDotBlockLength + 37])
  func singlePrecisionPasses(_ n: Int) {
    var rng = SplitMix64(seed: UInt64(n) + 1)
    let a = (0..<n).map { _ in rng.normal() }
    let b = (0..<n).map { _ in rng.normal() }
    let sources = (0..<5).map { _ in (0..<n).map { _ in Float(rng.normal()) } }
    let c: [Double] = [0.5, -2, 3, 0.25, -1, 2]  // a (the lead), then the five sources
    func passes(parallel: Bool) -> (
      y: [Float], yr: [Double], d: [Float], w: [Double], dd: Double, gd: Double
    ) {
      var y = [Float](repeating: .nan, count: n)
      var d = [Float](repeating: .nan, count: n)
      var w = [Double](repeating: .nan, count: n)
      var dotsA = [Double](repeating: .nan, count: 5)
      var dots = [Double](repeating: .nan, count: 1)
      var scalars = (aa: 0.0, ay: 0.0, yy: 0.0, aMax: 0.0)
      var dd = 0.0
      let copies = sources.map { _ in UnsafeMutableBufferPointer<Float>.allocate(capacity: n) }
      defer { for copy in copies { copy.deallocate() } }
      for j in 0..<5 { _ = copies[j].initialize(from: sources[j]) }
      let pointers = copies.map { UnsafePointer($0.baseAddress!) }
      pointers.withUnsafeBufferPointer { sp in
        a.withUnsafeBufferPointer { pa in
          b.withUnsafeBufferPointer { pb in
            scalars = y.withUnsafeMutableBufferPointer { py in
              dotsA.withUnsafeMutableBufferPointer { da in
                blockedDifferenceAndDots(
                  count: n, newer: pa.baseAddress!, older: pb.baseAddress!,
                  into: py.baseAddress!, sources: sp, newerDots: da, parallel: parallel)
              }
            }
            dd = c.withUnsafeBufferPointer { cp in
              d.withUnsafeMutableBufferPointer { pd in
                w.withUnsafeMutableBufferPointer { pw in
                  dots.withUnsafeMutableBufferPointer { dp in
                    blockedCombinationAndDots(
                      count: n, lead: pa.baseAddress!, sources: sp, coefficients: cp,
                      into: pd.baseAddress!, widened: pw.baseAddress!, dots: dp, dotCount: 1,
                      parallel: parallel)
                  }
                }
              }
            }
          }
        }
      }
      let yr = y.map { Double($0) }
      let na = dot(Vector(a), Vector(a)).squareRoot()
      let ny = dot(Vector(yr), Vector(yr)).squareRoot()
      #expect(Swift.abs(scalars.aa - na * na) <= 1e-12 * na * na)
      #expect(Swift.abs(scalars.ay - dot(Vector(a), Vector(yr))) <= 1e-12 * na * ny)
      #expect(Swift.abs(scalars.yy - ny * ny) <= 1e-12 * ny * ny)
      for j in 0..<5 {
        let v = Vector(sources[j].map { Double($0) })
        #expect(Swift.abs(dotsA[j] - dot(Vector(a), v)) <= 1e-12 * na * v.norm)
      }
      return (y, yr, d, w, dd, dots[0])
    }
    let serial = passes(parallel: false)
    let threaded = passes(parallel: true)
    #expect(threaded.y == serial.y && threaded.d == serial.d && threaded.w == serial.w)
    #expect(threaded.dd.bitPattern == serial.dd.bitPattern)
    #expect(threaded.gd.bitPattern == serial.gd.bitPattern)
    for i in 0..<n { #expect(serial.y[i] == Float(a[i] - b[i])) }
    var dRef = [Double](repeating: 0, count: n)
    for i in 0..<n {
      dRef[i] = c[0] * a[i]
      for j in 0..<5 { dRef[i] += c[j + 1] * Double(sources[j][i]) }
    }
    for i in 0..<n
    where serial.w[i] != Double(serial.d[i])
      || Swift.abs(serial.w[i] - dRef[i]) > 6e-8 * Swift.abs(dRef[i]) + 1e-14
    {
      Issue.record("d[\(i)] = \(serial.d[i]) (widened \(serial.w[i])), exact \(dRef[i])")
      break
    }
    let w = Vector(serial.w)
    #expect(Swift.abs(serial.dd - dot(w, w)) <= 1e-12 * dot(w, w))
    #expect(Swift.abs(serial.gd - dot(w, Vector(a))) <= 1e-12 * w.norm * Vector(a).norm)
  }

  /// A full solve takes the same iterations and evaluations with either form, and reaches the
  /// same minimum (extended Rosenbrock, f* = 0 at 1; a scaled quadratic with xᵢ* = 1/dᵢ).
  @Test(arguments: [0, 1])
  func compactAndClassicSolvesAgree(_ problem: Int) {
    let classic = solveTestProblem(problem, with: LBFGS(compactMinimumDimension: .max))
    let compact = solveTestProblem(problem, with: LBFGS(compactMinimumDimension: 0))
    #expect(classic.termination == .gradientTolerance)
    #expect(compact.statistics.iterations == classic.statistics.iterations)
    #expect(compact.statistics.evaluations.gradients == classic.statistics.evaluations.gradients)
    #expect(Swift.abs(compact.value - classic.value) <= 1e-8)
    expectSolved(problem, compact)
  }

  /// Problem 0: extended Rosenbrock (n = 200) from (−1.2, 1, …); problem 1: the scaled quadratic
  /// (n = 500) from 0, solved by `method` with the default options.
  private func solveTestProblem(_ problem: Int, with method: LBFGS) -> Solution {
    let n = problem == 0 ? 200 : 500
    let f = problem == 0 ? extendedRosenbrock(n) : scaledQuadratic(n)
    let x0 = problem == 0 ? Vector(count: n) { $0 % 2 == 0 ? -1.2 : 1 } : Vector.zeros(n)
    return minimizeFunction(f, from: x0, using: method, options: MinimizeOptions(), observer: nil)
  }

  /// The solve of ``solveTestProblem(_:with:)`` converged to the known minimizer: f ≤ 1e-10 on
  /// extended Rosenbrock, xᵢ within 1e-6 of 1/dᵢ on the quadratic.
  private func expectSolved(_ problem: Int, _ s: Solution) {
    #expect(s.termination == .gradientTolerance)
    if problem == 1 {
      let n = s.x.count
      for i in 0..<n {
        let d = Double.pow(10, 2 * Double(i) / Double(n - 1))
        #expect(Swift.abs(s.x[i] - 1 / d) <= 1e-6)
      }
    } else {
      #expect(s.value <= 1e-10)
    }
  }

  /// A solve with the single-precision history reaches the same minimum as the Double one in
  /// about as many iterations (the iterates differ by rounding-level amounts).
  @Test(arguments: [0, 1])
  func singlePrecisionSolvesAgree(_ problem: Int) {
    let double = solveTestProblem(problem, with: LBFGS(compactMinimumDimension: 0))
    let single = solveTestProblem(
      problem, with: LBFGS(compactMinimumDimension: 0, historyPrecision: .single))
    let (ks, kd) = (single.statistics.iterations, double.statistics.iterations)
    #expect(Swift.abs(ks - kd) <= kd / 10 + 2, "\(ks) against \(kd) iterations")
    expectSolved(problem, single)
  }

  /// Gradients beyond Float's range (f = 10³⁹‖x‖², ∇f ≈ 10⁴⁰) or so far below it that they round
  /// to zero (f = ‖x‖² from x ≈ 10⁻⁴⁷) do not survive the rounding to the single-precision
  /// history, not even as the steepest-descent direction: the solve goes on with the Double
  /// history and converges as it does (the overflow used to end with a line-search failure at
  /// the starting point).
  @Test(arguments: [(1e39, 1.0), (1, 1e-47)])
  func singlePrecisionOutsideFloatRangeFallsBackToDouble(scale: Double, start: Double) {
    let n = 8
    let f = FunctionObjective(
      dimension: n,
      gradient: { x, g in
        var s = 0.0
        for i in 0..<n {
          s += scale * x[i] * x[i]
          g[i] = 2 * scale * x[i]
        }
        return s
      })
    let x0 = Vector(count: n) { start * Double($0 + 1) }
    let options = MinimizeOptions(gradientTolerance: 1e-6 * scale * start)
    let double = minimize(f, from: x0, using: LBFGS(compactMinimumDimension: 0), options: options)
    let single = minimize(
      f, from: x0, using: LBFGS(compactMinimumDimension: 0, historyPrecision: .single),
      options: options)
    #expect(double.termination == .gradientTolerance)
    #expect(single.termination == .gradientTolerance, "\(single.briefReport)")
    #expect(single.x.normInfinity <= 1e-6 * start)
    #expect(single.statistics.iterations == double.statistics.iterations)
  }

  /// Small memories (m = 1 leaves no stored pair in the difference pass once full) solve the
  /// same way in both forms, up to rounding.
  @Test(arguments: [1, 2, 3])
  func smallMemoriesAgree(_ memory: Int) {
    let n = 100
    let f = extendedRosenbrock(n)
    let x0 = Vector(count: n) { $0 % 2 == 0 ? -1.2 : 1 }
    let classic = minimizeFunction(
      f, from: x0, using: LBFGS(memory: memory, compactMinimumDimension: .max),
      options: MinimizeOptions(), observer: nil)
    let compact = minimizeFunction(
      f, from: x0, using: LBFGS(memory: memory, compactMinimumDimension: 0),
      options: MinimizeOptions(), observer: nil)
    #expect(compact.termination == .gradientTolerance)
    #expect(compact.statistics.iterations == classic.statistics.iterations)
    // Rounding may change one line-search trial over some 80 (m = 1: 82 against 83).
    let ngev = compact.statistics.evaluations.gradients
    #expect(Swift.abs(ngev - classic.statistics.evaluations.gradients) <= 1)
    #expect(compact.value <= 1e-10)
  }

  /// Recomputing the direction without a step reuses the pending slot: the direction and slope
  /// stay the same however often it is asked for.
  @Test func repeatedDirectionsReuseTheirSlot() {
    var rng = SplitMix64(seed: 3)
    let n = 30
    var g = Vector(count: n) { _ in rng.normal() }
    let a = Vector(count: n) { _ in 1 + 9 * rng.uniform() }
    var h = LBFGSCompactHistory<Double>(capacity: 2, gradient: g)
    for _ in 0..<3 {
      _ = h.computeDirection()
      var s = h.direction
      s.scale(by: 0.5)
      let gNew = g + a .* s
      var trial = h.takeTrialGradient()
      trial.assign(gNew)
      h.restoreTrialGradient(&trial)
      let stored = h.push(step: 0.5, threshold: 1e-10)
      #expect(stored)
      g = gNew
    }
    let slope = h.computeDirection()
    let d = h.direction
    for _ in 0..<6 {
      let again = h.computeDirection()
      #expect(again == slope)
      #expect(h.direction == d)
    }
    #expect(slope < 0)
  }

  /// The default switches to the compact form at n = 4096.
  @Test func defaultThreshold() {
    #expect(LBFGS().compactMinimumDimension == 4096)
  }
}
