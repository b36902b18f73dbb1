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
    var rng = SplitMix64(seed: 7)
    let a = Vector(count: n) { _ in Double.exp(4 * rng.uniform()) }
    var g = Vector(count: n) { _ in rng.normal() }
    var compact = LBFGSCompactHistory(capacity: memory, gradient: g)
    var classic = LBFGSHistory(capacity: memory, dimension: n)
    for k in 0..<(3 * memory + 3) {
      let slope = compact.computeDirection()
      var p = g
      classic.applyInPlace(&p)
      p.scale(by: -1)
      #expect(relativeDifference(compact.direction, p) <= 1e-12, "iteration \(k)")
      #expect(Swift.abs(slope - dot(g, p)) <= 1e-10 * g.norm * p.norm)
      #expect(compact.count == classic.count)
      let t = 0.2 + rng.uniform()
      var s = compact.direction
      s.scale(by: t)
      // y = A s (+ noise), or −A s once: a pair of negative curvature.
      var y = (k == memory + 1 ? -1.0 : 1.0) * (a .* s)
      for i in 0..<n { y[i] += 1e-3 * rng.normal() * s.norm / Double(n).squareRoot() }
      let gNew = g + y
      var trial = compact.takeTrialGradient()
      trial.assign(gNew)
      compact.restoreTrialGradient(&trial)
      // Every other step passes gₖ₊₁ᵀdₖ as a line search would, so the pass skips dₖ.
      let derivative = k % 2 == 0 ? dot(gNew, compact.direction) : .nan
      let storedCompact = compact.push(step: t, derivative: derivative, threshold: 1e-10)
      var sCopy = s
      var yCopy = y
      let storedClassic = classic.push(s: &sCopy, y: &yCopy, threshold: 1e-10)
      #expect(storedCompact == storedClassic)
      #expect(storedCompact == (k != memory + 1))
      #expect(Swift.abs(compact.gamma - classic.gamma) <= 1e-12 * classic.gamma)
      g = gNew
      #expect(compact.gradient == g)
    }
  }

  /// A full solve takes the same iterations and evaluations with either form, and reaches the
  /// same minimum (extended Rosenbrock, f* = 0 at 1; a scaled quadratic with xᵢ* = 1/dᵢ).
  @Test(arguments: [0, 1])
  func compactAndClassicSolvesAgree(_ problem: Int) {
    let n = problem == 0 ? 200 : 500
    let f = problem == 0 ? extendedRosenbrock(n) : scaledQuadratic(n)
    let x0 = problem == 0 ? Vector(count: n) { $0 % 2 == 0 ? -1.2 : 1 } : Vector.zeros(n)
    let classic = minimizeFunction(
      f, from: x0, using: LBFGS(compactMinimumDimension: .max), options: MinimizeOptions(),
      observer: nil)
    let compact = minimizeFunction(
      f, from: x0, using: LBFGS(compactMinimumDimension: 0), options: MinimizeOptions(),
      observer: nil)
    #expect(classic.termination == .gradientTolerance)
    #expect(compact.termination == .gradientTolerance)
    #expect(compact.statistics.iterations == classic.statistics.iterations)
    #expect(compact.statistics.evaluations.gradients == classic.statistics.evaluations.gradients)
    #expect(Swift.abs(compact.value - classic.value) <= 1e-8)
    if problem == 1 {
      for i in 0..<n {
        let d = Double.pow(10, 2 * Double(i) / Double(n - 1))
        #expect(Swift.abs(compact.x[i] - 1 / d) <= 1e-6)
      }
    } else {
      #expect(compact.value <= 1e-10)
    }
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
    var h = LBFGSCompactHistory(capacity: 2, gradient: g)
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
