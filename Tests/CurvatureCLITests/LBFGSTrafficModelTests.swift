import Testing

@testable import CurvatureCLI

@Suite("L-BFGS traffic model of the compact form")
struct LBFGSTrafficModelTests {
  /// 12 iterations at n = 10⁶ (compact form, m = 10): k = 0, 1, …, 9, 10, 10.
  /// Direction passes Σ(2k + 2) = 2·65 + 24 = 154; difference passes on the first 11 iterations
  /// (none after the last) Σ(3 + 2·min(k, 9)) = 33 + 2·(45 + 9) = 141; bookkeeping 11 words per
  /// iteration; ‖∇f‖₂ once; 7 per evaluation.
  @Test func compactWordsPerIteration() {
    let m = LBFGSTrafficModel(n: 1_000_000, iterations: 12, gradientEvaluations: 15)
    #expect(m.compact)
    let words: Double = 154 + 141 + 12 * 11 + 1 + 7 * 15
    #expect(m.readOnlyWords + m.writingWords == words)
    #expect(m.bytes == 8e6 * words)
  }

  /// Once the memory is full an iteration moves 14 + 4m = 54 words besides its evaluations,
  /// against 24 + 10m = 124 for the classic recursion's count.
  @Test func steadyStateIteration() {
    let a = LBFGSTrafficModel(n: 1_000_000, iterations: 40, gradientEvaluations: 0)
    let b = LBFGSTrafficModel(n: 1_000_000, iterations: 41, gradientEvaluations: 0)
    #expect((b.readOnlyWords + b.writingWords) - (a.readOnlyWords + a.writingWords) == 54)
    let c = LBFGSTrafficModel(n: 1000, iterations: 40, gradientEvaluations: 0)
    let d = LBFGSTrafficModel(n: 1000, iterations: 41, gradientEvaluations: 0)
    #expect(!c.compact)
    #expect((d.readOnlyWords + d.writingWords) - (c.readOnlyWords + c.writingWords) == 124)
  }
}
