import ArgumentParser

/// The `curvature` command: lists the built-in problems, solves one, runs the benchmark suites and
/// compares our results with the Python reference libraries.
public struct CurvatureCommand: ParsableCommand {
  /// The command's name, help text and subcommands.
  public static let configuration = CommandConfiguration(
    commandName: "curvature",
    abstract: "Second-order optimization in Swift: solve, benchmark and compare.",
    discussion: """
      Curvature minimizes smooth functions with Newton-CG, trust-region, quasi-Newton and \
      least-squares methods. This tool runs them on the built-in test problems.

      Examples:
        curvature problems
        curvature solve rosenbrock --method trust-ncg
        curvature bench --suite mgh --json ours.json --svg profile.svg
        curvature bench --suite least-squares --curves curves.svg
        curvature bench --suite constrained --json constrained.json
        curvature bench --suite kernels
        curvature compare --ours ours.json

      Run benchmarks from a release build (swift build -c release).
      """,
    subcommands: [
      ProblemsCommand.self, SolveCommand.self, BenchCommand.self, CompareCommand.self,
      TrainCommand.self,
    ])

  /// Creates the command (the argument parser calls this).
  public init() {}

  /// Parses `arguments` (without the program name), runs the command in `environment` and
  /// returns the exit status, writing help, results and errors to `environment.output` instead
  /// of the process's streams. Usage errors give status 64 with the message and usage on the
  /// error stream.
  public static func run(_ arguments: [String], environment: CommandEnvironment) -> Int32 {
    CommandEnvironment.$current.withValue(environment) {
      do {
        var command = try parseAsRoot(arguments)
        try command.run()
        return 0
      } catch {
        let code = exitCode(for: error)
        let message = fullMessage(for: error)
        if !message.isEmpty {
          if code == .success {
            environment.output.line(message)
          } else {
            environment.output.errorLine(message)
          }
        }
        return code.rawValue
      }
    }
  }
}

extension CommandEnvironment {
  /// Writes `Error: message` on the error stream and returns the error that exits with status 1
  /// (for failures after the arguments were accepted: a missing file, no solvers in this build).
  func fail(_ message: String) -> ExitCode {
    output.errorLine("Error: " + message)
    return ExitCode.failure
  }
}

/// A validation error naming the valid choices, e.g. for an unknown problem or method.
/// `scope` qualifies the message, e.g. " for suite least-squares".
func unknownChoice(_ kind: String, _ value: String, valid: [String], scope: String = "")
  -> ValidationError
{
  let list = valid.isEmpty ? "(none in this build)" : valid.joined(separator: ", ")
  return ValidationError("unknown \(kind) '\(value)'\(scope). Valid \(kind)s: \(list)")
}
