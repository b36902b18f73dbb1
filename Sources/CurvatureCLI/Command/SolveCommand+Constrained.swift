import ArgumentParser
import Curvature
import CurvatureProblems
import Foundation

/// `curvature solve` on a constrained (Hock-Schittkowski) problem: SQP or a bound-constrained
/// method, judged as in `bench --suite constrained`.
extension SolveCommand {
  /// The method for a constrained problem: `--method`, or SQP.
  var constrainedMethodName: String { method ?? "sqp" }

  func validateConstrained(_ p: ConstrainedTestProblem, backend: ConstrainedBackend) throws {
    let name = constrainedMethodName
    guard backend.methods.contains(name) else {
      throw unknownChoice(
        "method", name, valid: backend.methods, scope: " for a constrained problem")
    }
    if let reason = backend.inapplicability(name, p) {
      throw ValidationError("method '\(name)' does not apply to '\(problem)': \(reason)")
    }
    try validateLimits()
  }

  func runConstrained(
    _ p: ConstrainedTestProblem, backend: ConstrainedBackend, env: CommandEnvironment
  ) throws {
    let name = constrainedMethodName
    let judge = ConstrainedBenchmark(
      problemNames: [p.name], methods: [name], backend: backend, kktTolerance: tolerance,
      maxIterations: maxIterations, repeats: 1)
    let settings = SolveSettings(
      gradientTolerance: tolerance, maxIterations: maxIterations, verbose: verbose && !json)
    let clock = ContinuousClock()
    let start = clock.now
    let outcome = backend.solve(p, name, settings)
    let record = judge.record(
      problem: p, method: name, outcome: outcome, seconds: durationSeconds(clock.now - start))
    if json {
      env.output.line(try JSONEncoderSupport.string(record))
    } else {
      env.output.line(Self.constrainedReport(problem: p, record: record, outcome: outcome))
    }
    if !record.success { throw ExitCode.failure }
  }

  /// The human summary of one constrained solve.
  static func constrainedReport(
    problem p: ConstrainedTestProblem, record r: BenchmarkRecord, outcome o: ConstrainedOutcome
  ) -> String {
    var t = TextTable(headers: ["", ""])
    let c = p.constraints
    t.append([
      "problem",
      "\(p.name) (n = \(p.dimension), \(c.equalityCount) equalities, "
        + "\(c.inequalityCount) inequalities)",
    ])
    t.append(["method", r.method])
    t.append(["termination", r.termination])
    t.append([
      "f",
      formatNumber(r.f, significantDigits: 12) + "   (f* = "
        + formatNumber(p.optimalValue, significantDigits: 12) + ", |f − f*| = "
        + formatScientific(r.ferror ?? .nan, digits: 1) + ")",
    ])
    t.append([
      "KKT residual",
      formatScientific(r.kkt ?? .nan, digits: 2) + (r.success ? "   success" : "   NOT converged")
        + " (violation " + formatScientific(r.violation ?? .nan, digits: 1) + ")",
    ])
    t.append(["iterations", String(r.iterations)])
    let e = o.counts
    t.append([
      "evaluations",
      "f \(e.values), ∇f \(e.gradients), ∇²f \(e.hessians), c \(o.constraintEvaluations), "
        + "∇c \(o.jacobianEvaluations)",
    ])
    t.append(["time", formatDuration(r.seconds)])
    let xs = o.x.prefix(10).map { formatNumber($0, significantDigits: 8) }
    t.append(["x", "[" + xs.joined(separator: ", ") + (o.x.count > 10 ? ", …]" : "]")])
    return t.render(header: false)
  }
}
