/// Reusable storage for ``ConjugateGradient`` and ``SteihaugCG``: vectors of length n for the
/// iterate, the residual, the direction and the operator output, the preconditioned residual
/// (allocated by the first preconditioned solve), and a history of quadratic model values.
///
/// Allocate one per problem size and pass it `inout` to every solve: the iterations then
/// allocate nothing (the returned result owns copies only of what it reports). A workspace of the
/// wrong dimension is resized at the start of a solve.
public struct KrylovWorkspace: Sendable {
  /// The vector length n the buffers currently have.
  public private(set) var dimension: Int
  var x: Vector
  var r: Vector
  var z: Vector
  var p: Vector
  var ap: Vector
  var modelHistory: [Double]

  /// A workspace for vectors of length `dimension`.
  public init(dimension: Int) {
    precondition(
      dimension >= 0, "Krylov workspace dimension must be non-negative, got \(dimension)")
    self.dimension = dimension
    x = .zeros(dimension)
    r = .zeros(dimension)
    z = Vector()  // only preconditioned solves use it; they size it on first use
    p = .zeros(dimension)
    ap = .zeros(dimension)
    modelHistory = []
  }

  /// Makes every buffer `n` long (no work when it already is).
  mutating func prepare(dimension n: Int) {
    if n != dimension { self = KrylovWorkspace(dimension: n) }
  }
}
