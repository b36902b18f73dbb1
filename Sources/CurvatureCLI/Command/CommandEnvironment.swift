import Foundation

/// Everything a command reads from the outside world: where to write, which problems and
/// solvers exist, where the package lives. Commands read ``current``; tests bind their own with
/// ``CurvatureCommand/run(_:environment:)``.
public struct CommandEnvironment: Sendable {
  /// Where output goes.
  public var output: OutputSink
  /// The built-in problems.
  public var catalog: ProblemCatalog
  /// The solvers, or nil when this build has none.
  public var solvers: SolverBackend?
  /// The least-squares solvers of `bench --suite least-squares`, when this build has them.
  public var leastSquaresSolvers: SolverBackend?
  /// The constrained problems and solvers of `bench --suite constrained`, when this build has
  /// them.
  public var constrained: ConstrainedBackend?
  /// The automatic-differentiation benchmark suite, when this build has one.
  public var derivativeSuite: DerivativeSuite?
  /// The package root (the directory holding Package.swift), used to resolve the default peer
  /// results path; nil when unknown.
  public var packageRoot: String?
  /// Vector lengths of the kernel benchmark.
  public var kernelSizes: [Int]

  /// An environment.
  public init(
    output: OutputSink, catalog: ProblemCatalog, solvers: SolverBackend?,
    derivativeSuite: DerivativeSuite? = nil, packageRoot: String? = nil,
    kernelSizes: [Int] = [1_000_000, 10_000_000], leastSquaresSolvers: SolverBackend? = nil,
    constrained: ConstrainedBackend? = nil
  ) {
    self.leastSquaresSolvers = leastSquaresSolvers
    self.constrained = constrained
    self.output = output
    self.catalog = catalog
    self.solvers = solvers
    self.derivativeSuite = derivativeSuite
    self.packageRoot = packageRoot
    self.kernelSizes = kernelSizes
  }

  /// The process's environment: standard streams, built-in problems and solvers.
  public static var standard: CommandEnvironment {
    CommandEnvironment(
      output: .standard(), catalog: .builtIn, solvers: .builtIn,
      derivativeSuite: .builtIn, packageRoot: PackageLocator.packageRoot(),
      leastSquaresSolvers: .leastSquaresBuiltIn, constrained: .builtIn)
  }

  /// The environment commands run in.
  @TaskLocal public static var current: CommandEnvironment = .standard
}

/// A benchmark suite supplied from outside the command (the derivative benchmarks).
public struct DerivativeSuite: Sendable {
  /// Runs the suite, writing its report to `output`; `repeats` timed runs per case, progress on
  /// the error stream unless `quiet`.
  public var run: @Sendable (_ output: OutputSink, _ repeats: Int?, _ quiet: Bool) throws -> Void

  /// A suite.
  public init(run: @escaping @Sendable (OutputSink, Int?, Bool) throws -> Void) { self.run = run }
}
