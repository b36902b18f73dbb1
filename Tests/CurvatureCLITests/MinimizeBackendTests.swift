import Curvature
import CurvatureProblems
import Foundation
import Testing

@testable import CurvatureCLI

/// Fixed gradient steps x ← x − ½∇f, exact in one step on the stub quadratics (Hessian 2I).
private struct HalfStepDescent: MinimizationMethod {
  var name: String { "half-step descent" }
  func run(_ run: inout SolverRun) -> Termination {
    while true {
      if run.gradientConverged { return .gradientTolerance }
      var x = run.x
      axpy(-0.5, run.gradient, &x)
      var g = Vector.zeros(run.dimension)
      let f = run.evaluate(x, gradient: &g)
      if let t = run.accept(x: x, value: f, gradient: g) { return t }
    }
  }
}

@Suite("minimize backend")
struct MinimizeBackendTests {
  let backend = SolverBackend.minimizing([.init("newton-cg") { HalfStepDescent() }])

  @Test("solve goes through minimize and reports its counts and termination")
  func solveThroughMinimize() throws {
    let env = CommandEnvironment(
      output: .capturing(), catalog: stubCatalog, solvers: backend, kernelSizes: [])
    let r = runTool(["solve", "quad3", "--json"], environment: env)
    #expect(r.status == 0)
    let record = try BenchmarkRecordFile.makeDecoder().decode(
      BenchmarkRecord.self, from: Data(r.output.utf8))
    #expect(record.termination == "gradientTolerance")
    #expect(record.success)
    #expect(record.iterations == 1)
    #expect(record.ngev == 2)
    #expect(record.f == 0)
  }

  @Test("the peers' applicability rules")
  func applicability() {
    let small = shiftedQuadratic(name: "q", center: [1, 2])
    let large = shiftedQuadratic(name: "big", center: Array(repeating: 0, count: 1001))
    #expect(SolverBackend.standardInapplicability(method: "bfgs", problem: small) == nil)
    #expect(SolverBackend.standardInapplicability(method: "bfgs", problem: large) != nil)
    #expect(SolverBackend.standardInapplicability(method: "trust-exact", problem: large) != nil)
    #expect(SolverBackend.standardInapplicability(method: "lbfgs", problem: large) == nil)
    #expect(SolverBackend.standardInapplicability(method: "lm", problem: small) != nil)
  }
}

@Suite("built-in wiring")
struct BuiltInTests {
  @Test("the catalog holds the MGH collection, the peers' large suite and the CUTEst quartics")
  func catalog() throws {
    let catalog = ProblemCatalog.builtIn
    #expect(catalog.collectionNames == ["mgh", "large", "cutest"])
    #expect(catalog.problem(named: "nondquar_n1000")?.dimension == 1000)
    #expect(catalog.problem(named: "bdqrtic_n5000")?.dimension == 5000)
    let mgh = try #require(catalog.collection(named: "mgh")).problemNames()
    #expect(mgh.count == 35)
    for name in MGHProblems.peerNames { #expect(mgh.contains(name)) }
    let large = try #require(catalog.collection(named: "large")).problemNames()
    #expect(large == ScalableProblems.largeNames)
    #expect(catalog.problem(named: "wood")?.dimension == 4)
  }

  @Test("problems --collection mgh lists the 35 problems")
  func listing() {
    let env = CommandEnvironment(
      output: .capturing(), catalog: .builtIn, solvers: nil, kernelSizes: [])
    let r = runTool(["problems", "--collection", "mgh"], environment: env)
    #expect(r.status == 0)
    #expect(r.output.contains("freudenstein_roth"))
    #expect(r.output.contains("35 problems"))
  }

  /// `lbfgs-single` differs from `lbfgs` only in L-BFGS's compact form (n ≥ 4096), so it is
  /// left out on Rosenbrock and checked below.
  @Test(
    "every built-in method solves Rosenbrock through the tool",
    arguments: (SolverBackend.builtIn?.methods ?? []).filter { $0 != "lbfgs-single" })
  func builtInMethodSolvesRosenbrock(method: String) throws {
    let env = CommandEnvironment(
      output: .capturing(), catalog: .builtIn, solvers: .builtIn, kernelSizes: [])
    let r = runTool(["solve", "rosenbrock", "--method", method, "--json"], environment: env)
    #expect(r.status == 0)
    let record = try BenchmarkRecordFile.makeDecoder().decode(
      BenchmarkRecord.self, from: Data(r.output.utf8))
    #expect(record.success)
    #expect(record.gnorm <= 1e-6)
    #expect(record.f < 1e-10)
    #expect(record.iterations > 0)
  }

  @Test("lbfgs-single is offered for n ≥ 4096 only, and says so")
  func singlePrecisionHistoryApplicability() throws {
    let env = CommandEnvironment(
      output: .capturing(), catalog: .builtIn, solvers: .builtIn, kernelSizes: [])
    #expect(SolverBackend.builtIn?.methods.contains("lbfgs-single") == true)
    let r = runTool(["solve", "rosenbrock", "--method", "lbfgs-single"], environment: env)
    #expect(r.status != 0)
    #expect(r.error.contains("n ≥ 4096"))
    let large = try #require(env.catalog.problem(named: "ext_rosenbrock_n100000"))
    #expect(SolverBackend.standardInapplicability(method: "lbfgs-single", problem: large) == nil)
  }
}
