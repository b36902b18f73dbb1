import Curvature
import CurvatureProblems
import Foundation

@testable import CurvatureCLI

/// f(x) = Σ (xᵢ − cᵢ)², minimum 0 at x = c, gradient 2(x − c), Hessian 2I.
func shiftedQuadratic(name: String, center c: [Double]) -> TestProblem {
  let center = Vector(c)
  return TestProblem(
    name: name, collection: "mgh", startingPoint: .zeros(c.count), optimalValue: 0,
    minimizer: center, source: "test stub",
    objective: FunctionObjective(
      dimension: c.count,
      gradient: { x, g in
        var f = 0.0
        for i in 0..<x.count {
          let d = x[i] - center[i]
          g[i] = 2 * d
          f += d * d
        }
        return f
      }))
}

/// Two stub problems in `mgh` and one in `large`.
let stubCatalog = ProblemCatalog(collections: [
  .init(
    name: "mgh", summary: "stub",
    problems: {
      [
        shiftedQuadratic(name: "quad2", center: [1, -2]),
        shiftedQuadratic(name: "quad3", center: [3, 0, 0.5]),
      ]
    }),
  .init(
    name: "large", summary: "stub",
    problems: { [shiftedQuadratic(name: "quad20", center: Array(repeating: 1, count: 20))] }),
])

/// `newton-cg`: one exact Newton step x − H⁻¹g = x − g/2 (converges on the stubs);
/// `lbfgs`: returns the starting point unchanged (fails the success test).
let stubBackend = SolverBackend(
  methods: ["newton-cg", "lbfgs"],
  inapplicability: { method, problem in
    method == "lbfgs" && problem.dimension > 10 ? "stub lbfgs is for n ≤ 10" : nil
  },
  solve: { problem, method, _ in
    var x = problem.startingPoint
    var g = Vector.zeros(x.count)
    var counts = EvaluationCounts()
    _ = problem.objective.value(at: x, gradient: &g)
    counts.gradients += 1
    if method == "newton-cg" {
      axpy(-0.5, g, &x)
      counts.hessianVectorProducts += 1
    }
    let f = problem.objective.value(at: x)
    counts.values += 1
    return SolveOutcome(
      x: x, value: f, termination: method == "newton-cg" ? "converged" : "iteration limit",
      converged: method == "newton-cg", iterations: 1, counts: counts, seconds: 0,
      report: "stub report for \(problem.name)")
  })

/// An environment with capturing output, the stub problems and (optionally) the stub solvers.
func stubEnvironment(solvers: SolverBackend? = stubBackend) -> CommandEnvironment {
  CommandEnvironment(
    output: .capturing(), catalog: stubCatalog, solvers: solvers, derivativeSuite: nil,
    packageRoot: nil, kernelSizes: [1000, 4000])
}

/// Runs the tool in-process; returns status, standard output and standard error.
func runTool(_ arguments: [String], environment: CommandEnvironment = stubEnvironment())
  -> (status: Int32, output: String, error: String)
{
  let status = CurvatureCommand.run(arguments, environment: environment)
  return (status, environment.output.standardOutput, environment.output.standardError)
}

/// The path of a committed fixture file.
func fixturePath(_ name: String) -> String {
  Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures")!.path
}

/// A fresh path in the temporary directory.
func temporaryPath(_ suffix: String) -> String {
  FileManager.default.temporaryDirectory
    .appendingPathComponent("curvature-cli-test-\(UUID().uuidString)\(suffix)").path
}
