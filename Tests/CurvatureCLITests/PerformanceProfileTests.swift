import Testing

@testable import CurvatureCLI

@Suite("PerformanceProfile")
struct PerformanceProfileTests {
  // Times t[p][s] for solvers A, B on four problems; nil is a failure; p4 fails for both.
  //   p1: A 1, B 2  -> r = (1, 2)
  //   p2: A 4, B 2  -> r = (2, 1)
  //   p3: A -, B 3  -> r = (∞, 1)
  //   p4: A -, B -  -> r = (∞, ∞)
  let profile = PerformanceProfile(
    problems: ["p1", "p2", "p3", "p4"], solvers: ["A", "B"],
    costs: [[1, 2], [4, 2], [nil, 3], [nil, .infinity]])

  @Test("ratios to the best solver, failures infinite")
  func ratios() {
    #expect(profile.ratios[0] == [1, 2])
    #expect(profile.ratios[1] == [2, 1])
    #expect(profile.ratios[2] == [.infinity, 1])
    #expect(profile.ratios[3] == [.infinity, .infinity])
    #expect(profile.largestFiniteRatio == 2)
  }

  @Test(
    "ρ_s(τ) on a hand-made example",
    arguments: [
      (0, 1.0, 0.25), (0, 1.999, 0.25), (0, 2.0, 0.5), (0, 1e9, 0.5),
      (1, 1.0, 0.5), (1, 2.0, 0.75), (1, 1e9, 0.75), (0, 0.5, 0.0),
    ])
  func fractions(solver: Int, tau: Double, expected: Double) {
    #expect(profile.fraction(solver: solver, within: tau) == expected)
  }

  @Test("the step curve jumps at each ratio")
  func curve() {
    let a = profile.curve(solver: 0, upTo: 4)
    #expect(a.map(\.x) == [1, 2, 2, 4])
    #expect(a.map(\.y) == [0.25, 0.25, 0.5, 0.5])
    let b = profile.curve(solver: 1, upTo: 4)
    #expect(b.map(\.x) == [1, 2, 2, 4])
    #expect(b.map(\.y) == [0.5, 0.5, 0.75, 0.75])
  }

  @Test("from records: unsuccessful runs and missing pairs are failures")
  func fromRecords() {
    func record(_ p: String, _ m: String, _ ok: Bool, _ s: Double) -> BenchmarkRecord {
      BenchmarkRecord(
        problem: p, n: 2, method: m, success: ok, iterations: 1, nfev: 1, ngev: 1, nhev: 0,
        f: 0, gnorm: 0, seconds: s, termination: "")
    }
    let p = PerformanceProfile(records: [
      record("p1", "A", true, 0.1), record("p1", "B", true, 0.3),
      record("p2", "A", false, 0.01), record("p2", "B", true, 0.2),
      record("p3", "A", true, 0.5),
    ])
    #expect(p.solvers == ["A", "B"])
    #expect(p.problems == ["p1", "p2", "p3"])
    #expect(abs(p.ratios[0][1] - 3) < 1e-12)
    #expect(p.ratios[1] == [.infinity, 1])
    #expect(p.ratios[2] == [1, .infinity])
    #expect(abs(p.fraction(solver: 0, within: 1) - 2.0 / 3) < 1e-15)
    #expect(abs(p.fraction(solver: 1, within: 3) - 2.0 / 3) < 1e-15)
  }
}

@Suite("Statistics")
struct StatisticsTests {
  @Test func median() {
    #expect(SummaryStatistics.median([]) == nil)
    #expect(SummaryStatistics.median([3, 1, 2]) == 2)
    #expect(SummaryStatistics.median([4, 1, 3, 2]) == 2.5)
  }

  @Test func geometricMean() {
    #expect(SummaryStatistics.geometricMean([]) == nil)
    #expect(abs(SummaryStatistics.geometricMean([2, 0.5])! - 1) < 1e-15)
    #expect(abs(SummaryStatistics.geometricMean([1, 100, .infinity, 0])! - 10) < 1e-12)
  }

  @Test func durations() {
    #expect(formatDuration(0.25) == "250 ms")
    #expect(formatDuration(0.00235) == "2.35 ms")
    #expect(formatDuration(7.14e-5) == "71.4 µs")
    #expect(formatDuration(0) == "0 µs")
    #expect(formatDuration(0.9996) == "1.0 s")
    #expect(formatDuration(0.0009996) == "1 ms")
    #expect(formatDuration(12.34) == "12.3 s")
    #expect(formatDuration(200) == "3 min 20 s")
    #expect(formatDuration(3900) == "1 h 05 min")
  }
}
