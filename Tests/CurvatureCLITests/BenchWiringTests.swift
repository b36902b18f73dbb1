import Curvature
import CurvatureProblems
import Testing

@testable import CurvatureCLI

@Suite("Benchmark wiring: comparison medians, library totals, L-BFGS traffic model")
struct BenchWiringTests {
  private func ours(_ problem: String, _ method: String, ngev: Int, nhev: Int, seconds: Double)
    -> BenchmarkRecord
  {
    BenchmarkRecord(
      problem: problem, n: 2, method: method, success: true, iterations: 5, nfev: 0, ngev: ngev,
      nhev: nhev, f: 0, gnorm: 0, seconds: seconds, termination: "gradientTolerance")
  }

  private func theirs(_ problem: String, _ solver: String, ngev: Int, nhev: Int, seconds: Double)
    -> PeerRecord
  {
    PeerRecord(
      problem: problem, n: 2, solver: solver, success: true, iterations: 5, ngev: ngev,
      nhev: nhev, timeSeconds: seconds)
  }

  @Test("per-family medians of ngev + nhev and of time, over problems both solved")
  func familyMedians() throws {
    let mine = [
      ours("a", "newton-cg", ngev: 10, nhev: 20, seconds: 0.001),
      ours("b", "newton-cg", ngev: 4, nhev: 6, seconds: 0.003),
      ours("c", "newton-cg", ngev: 100, nhev: 100, seconds: 0.002),
    ]
    let peers = [
      theirs("a", "scipy_newton-cg", ngev: 12, nhev: 30, seconds: 0.1),
      theirs("b", "scipy_newton-cg", ngev: 8, nhev: 8, seconds: 0.3),
      theirs("c", "scipy_newton-cg", ngev: 50, nhev: 60, seconds: 0.2),
    ]
    let c = Comparison(ours: mine, peers: peers)
    let s = try #require(c.summaries.first)
    #expect(s.bothSolved == 3)
    #expect(s.oursMedianEvaluations == 30)  // {30, 10, 200}
    #expect(s.theirsMedianEvaluations == 42)  // {42, 16, 110}
    #expect(s.oursMedianSeconds == 0.002)
    #expect(s.theirsMedianSeconds == 0.2)
    let scipy = try #require(c.librarySummaries.first)
    #expect(scipy.library == "SciPy")
    #expect(scipy.bothSolved == 3)
    #expect(scipy.oursFaster == 3)
    #expect(abs(scipy.timeRatio! - 0.01) < 1e-12)
    #expect(abs(scipy.medianTimeRatio! - 0.01) < 1e-12)
    #expect(c.librarySummaries.count == 1)
  }

  @Test("SciPy and the compiled JAX loops are reported separately")
  func libraries() {
    #expect(Comparison.library(ofPeerSolver: "scipy_l-bfgs-b") == "SciPy")
    #expect(Comparison.library(ofPeerSolver: "optax_lbfgs") == "Optax/Optimistix")
    #expect(Comparison.library(ofPeerSolver: "optx_bfgs") == "Optax/Optimistix")
    let c = Comparison(
      ours: [ours("a", "lbfgs", ngev: 10, nhev: 0, seconds: 0.004)],
      peers: [
        theirs("a", "scipy_l-bfgs-b", ngev: 10, nhev: 0, seconds: 0.004),
        theirs("a", "optax_lbfgs", ngev: 20, nhev: 0, seconds: 0.001),
      ])
    #expect(c.librarySummaries.map(\.library) == ["SciPy", "Optax/Optimistix"])
    #expect(c.librarySummaries[0].oursFaster == 0)
    #expect(abs(c.librarySummaries[1].timeRatio! - 4) < 1e-12)
    #expect(abs(c.librarySummaries[1].evaluationRatio! - 0.5) < 1e-12)
  }

  @Test("L-BFGS traffic: 24 + 10k words per iteration plus 7 per gradient evaluation")
  func trafficModel() {
    // 12 iterations: k = 0, 1, ..., 9, 10, 10 → Σk = 45 + 20 = 65.
    let m = LBFGSTrafficModel(n: 1000, iterations: 12, gradientEvaluations: 15)
    let words: Double = 24 * 12 + 10 * 65 + 7 * 15
    #expect(m.readOnlyWords + m.writingWords == words)
    #expect(m.bytes == 8000 * words)
    // With equal bandwidths the bound is bytes / bandwidth.
    #expect(abs(m.boundSeconds(dotBandwidth: 1e9, axpyBandwidth: 1e9) - m.bytes / 1e9) < 1e-12)
  }

  @Test("lm is a dense method: run on the MGH problems, not on the large suite")
  func denseLevenbergMarquardt() throws {
    let small = try #require(MGHProblems.all.first { $0.residuals != nil })
    let large = ScalableProblems.extendedRosenbrock(n: 1000)
    #expect(large.residuals != nil)
    #expect(SolverBackend.standardInapplicability(method: "lm", problem: small) == nil)
    #expect(SolverBackend.standardInapplicability(method: "lm", problem: large) != nil)
  }
}
