/// A method family: one of our methods and the peer solvers that implement the same algorithm,
/// which `curvature compare` puts side by side.
public struct MethodFamily: Sendable, Hashable {
  /// Our method name (`curvature solve --method NAME`).
  public var method: String
  /// The peer harness's solver names (../shared/peers/run.py).
  public var peerSolvers: [String]
  /// What the family is.
  public var summary: String

  /// A family.
  public init(method: String, peerSolvers: [String], summary: String) {
    self.method = method
    self.peerSolvers = peerSolvers
    self.summary = summary
  }

  /// The families, in report order. Their method names are also the standard method names of the
  /// command-line tool.
  public static let all: [MethodFamily] = [
    MethodFamily(
      method: "newton-cg", peerSolvers: ["scipy_newton-cg"],
      summary: "line-search Newton-CG (truncated Newton) with Hessian-vector products"),
    MethodFamily(
      method: "trust-ncg", peerSolvers: ["scipy_trust-ncg"],
      summary: "trust region with Steihaug-Toint CG"),
    MethodFamily(
      method: "trust-krylov", peerSolvers: ["scipy_trust-krylov"],
      summary: "trust region with a Lanczos (GLTR) subproblem solver"),
    MethodFamily(
      method: "trust-exact", peerSolvers: ["scipy_trust-exact"],
      summary: "trust region with a nearly exact (Moré-Sorensen) subproblem solver"),
    MethodFamily(
      method: "bfgs", peerSolvers: ["scipy_bfgs", "optx_bfgs"],
      summary: "dense BFGS with a Wolfe line search"),
    MethodFamily(
      method: "lbfgs", peerSolvers: ["scipy_l-bfgs-b", "optax_lbfgs"],
      summary: "limited-memory BFGS"),
    MethodFamily(
      method: "lm", peerSolvers: ["scipy_lm"],
      summary: "Levenberg-Marquardt on the residuals"),
  ]

  /// The standard method names, in family order.
  public static var methodNames: [String] { all.map(\.method) }

  /// The family of our method `name`.
  public static func family(ofMethod name: String) -> MethodFamily? {
    all.first { $0.method == name }
  }

  /// The family a peer solver belongs to.
  public static func family(ofPeerSolver name: String) -> MethodFamily? {
    all.first { $0.peerSolvers.contains(name) }
  }
}
