import ArgumentParser
import Curvature
import CurvatureProblems

/// `curvature solve PROBLEM`: solves one built-in problem and reports the result.
struct SolveCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "solve",
    abstract: "Solve one built-in problem from its standard starting point.",
    discussion: """
      Prints the final value, the gradient norm, the reason the solver stopped, the iteration \
      and evaluation counts and the time. A run succeeds when ‖∇f(x)‖∞ ≤ the tolerance at the \
      final point; the exit status is 0 on success and 1 otherwise.

      Methods: newton-cg, trust-ncg, trust-krylov, trust-exact, bfgs, lbfgs, lm, and the other \
      least-squares methods lm-matrix-free, gauss-newton, dogleg (the least-squares methods \
      need a sum-of-squares problem); lbfgs-single, L-BFGS with its history in single \
      precision, for n ≥ 4096. The constrained problems (`curvature problems \
      --collection constrained`) take sqp (the default there), sqp-exact, and for bounds-only \
      problems lbfgsb and projected-newton-cg; their run succeeds when |f − f*| ≤ 10⁻⁶·max(1, \
      |f*|) and the KKT residual ≤ the tolerance. See `curvature problems` for the problem names.
      """)

  @Argument(help: "The problem name, e.g. rosenbrock (see `curvature problems`).")
  var problem: String

  @Option(
    name: .shortAndLong,
    help: "The method (default newton-cg, or sqp for a constrained problem).")
  var method: String?

  @Option(help: "Stop when ‖∇f(x)‖∞ ≤ this tolerance.")
  var tolerance = 1e-6

  @Option(name: .customLong("max-iterations"), help: "The iteration limit.")
  var maxIterations = 1000

  @Flag(help: "Print one line per iteration and the solver's full report.")
  var verbose = false

  @Flag(help: "Print one JSON record instead of the report (overrides --verbose).")
  var json = false

  func validate() throws {
    let env = CommandEnvironment.current
    guard let p = env.catalog.problem(named: problem) else {
      if let backend = env.constrained, let c = backend.build(problem) {
        try validateConstrained(c, backend: backend)
        return
      }
      throw unknownChoice(
        "problem", problem,
        valid: env.catalog.problemNames + (env.constrained?.problemNames ?? []))
    }
    let method = methodName
    var methods = env.solvers?.methods ?? MethodFamily.methodNames
    for m in env.leastSquaresSolvers?.methods ?? [] where !methods.contains(m) { methods.append(m) }
    guard methods.contains(method) else {
      throw unknownChoice("method", method, valid: methods)
    }
    if let reason = Self.backend(for: method, in: env)?.inapplicability(method, p) {
      throw ValidationError("method '\(method)' does not apply to '\(problem)': \(reason)")
    }
    try validateLimits()
  }

  /// The checks on --tolerance and --max-iterations shared by both kinds of problem.
  func validateLimits() throws {
    guard tolerance > 0, tolerance.isFinite else {
      throw ValidationError("--tolerance must be a positive number, got \(tolerance)")
    }
    guard maxIterations > 0 else {
      throw ValidationError("--max-iterations must be positive, got \(maxIterations)")
    }
  }

  func run() throws {
    let env = CommandEnvironment.current
    if env.catalog.problem(named: problem) == nil, let backend = env.constrained,
      let c = backend.build(problem)
    {
      try runConstrained(c, backend: backend, env: env)
      return
    }
    let method = methodName
    guard let backend = Self.backend(for: method, in: env) else {
      throw env.fail("this build of curvature has no solvers yet")
    }
    let p = env.catalog.problem(named: problem)!
    let settings = SolveSettings(
      gradientTolerance: tolerance, maxIterations: maxIterations, verbose: verbose && !json)
    let clock = ContinuousClock()
    let start = clock.now
    let outcome = backend.solve(p, method, settings)
    let elapsed = durationSeconds(clock.now - start)
    let record = BenchmarkRecord(
      problem: p, method: method, outcome: outcome, seconds: elapsed,
      gradientTolerance: tolerance)
    if json {
      env.output.line(try JSONEncoderSupport.string(record))
    } else {
      if verbose, let report = outcome.report { env.output.line(report) }
      env.output.line(
        Self.report(problem: p, record: record, outcome: outcome, tolerance: tolerance))
    }
    if !record.success { throw ExitCode.failure }
  }

  /// The method to run on an unconstrained or least-squares problem.
  var methodName: String { method ?? "newton-cg" }

  /// The backend offering `method`: the main solvers, else the least-squares ones.
  static func backend(for method: String, in env: CommandEnvironment) -> SolverBackend? {
    if let solvers = env.solvers, solvers.methods.contains(method) { return solvers }
    if let ls = env.leastSquaresSolvers, ls.methods.contains(method) { return ls }
    return env.solvers
  }

  /// The human summary of one solve.
  static func report(
    problem p: TestProblem, record r: BenchmarkRecord, outcome: SolveOutcome, tolerance: Double
  ) -> String {
    var t = TextTable(headers: ["", ""])
    t.append(["problem", "\(p.name) (\(p.collection), n = \(p.dimension))"])
    t.append(["method", r.method])
    t.append(["termination", r.termination])
    var fLine = formatNumber(r.f, significantDigits: 12)
    if let fStar = p.optimalValue {
      fLine += "   (f* = \(formatNumber(fStar, significantDigits: 12))"
      if let lre = p.logRelativeError(of: r.f) {
        fLine += ", log relative error \(formatFixed(lre, digits: 1))"
      }
      fLine += ")"
    }
    t.append(["f", fLine])
    t.append([
      "‖∇f‖∞",
      formatScientific(r.gnorm, digits: 2)
        + (r.success ? "   success" : "   NOT converged")
        + " (tolerance \(formatNumber(tolerance, significantDigits: 3)))",
    ])
    t.append(["iterations", String(r.iterations)])
    let c = outcome.counts
    t.append([
      "evaluations",
      "f \(c.values), ∇f \(c.gradients), ∇²f·v \(c.hessianVectorProducts), ∇²f \(c.hessians)"
        + (c.residuals > 0 || c.jacobians > 0
          ? ", r \(c.residuals), J \(c.jacobians), J·v \(c.jacobianProducts)" : ""),
    ])
    t.append(["time", formatDuration(r.seconds)])
    let shown = p.dimension <= 10 ? p.dimension : 10
    let xs = outcome.x.prefix(shown).map { formatNumber($0, significantDigits: 8) }
    t.append([
      "x", "[" + xs.joined(separator: ", ") + (p.dimension > shown ? ", …]" : "]"),
    ])
    return t.render(header: false)
  }
}
