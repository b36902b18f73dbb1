import RealModule

/// Gradients from differences of objective values, for objectives that offer values only.
///
/// Component i of the gradient is approximated with a step hᵢ proportional to 1 + |xᵢ|:
/// - Central: ∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x − hᵢeᵢ)) / (2hᵢ), hᵢ = ∛ε·(1 + |xᵢ|), truncation error
///   O(hᵢ²); 2n values per gradient (plus f(x) itself, which the gradient closure returns).
/// - Forward: ∂f/∂xᵢ ≈ (f(x + hᵢeᵢ) − f(x)) / hᵢ, hᵢ = √ε·(1 + |xᵢ|), truncation error O(hᵢ);
///   n values per gradient plus f(x).
///
/// ε is the machine epsilon (2⁻⁵²). The exponents balance truncation against rounding in f:
/// with |f| of order one, the total error is about ε^{2/3} (central) or ε^{1/2} (forward) relative
/// to the scale of f (Nocedal & Wright, *Numerical Optimization*, 2nd ed., section 8.1; Dennis &
/// Schnabel, *Numerical Methods for Unconstrained Optimization*, section 5.4). The step actually
/// used is the representable difference (xᵢ + hᵢ) − xᵢ, so that the division does not add the
/// rounding error of forming xᵢ + hᵢ.
public enum FiniteDifferenceGradient: String, Sendable, Hashable, Codable, CaseIterable {
  /// Central differences: 2n values per gradient, error O(h²).
  case central
  /// Forward differences: n values per gradient (given f(x)), error O(h).
  case forward

  /// The step hᵢ for a coordinate of value `xi`: ∛ε·(1 + |xᵢ|) (central) or √ε·(1 + |xᵢ|)
  /// (forward).
  @inlinable
  public func step(at xi: Double) -> Double {
    let eps = Double.ulpOfOne
    let base = self == .central ? Double.root(eps, 3) : eps.squareRoot()
    return base * (1 + Swift.abs(xi))
  }

  /// The number of objective values one gradient costs for n variables, including f(x):
  /// 2n + 1 (central) or n + 1 (forward).
  @inlinable
  public func valuesPerGradient(dimension n: Int) -> Int {
    self == .central ? 2 * n + 1 : n + 1
  }

  /// Writes the difference approximation of ∇f(x) into `gradient` and returns f(x).
  ///
  /// - Parameters:
  ///   - value: the objective x ↦ f(x).
  ///   - x: the point.
  ///   - valueAtX: f(x) if already known (saves one evaluation).
  ///   - gradient: the output, resized to n if needed.
  /// - Returns: f(x).
  @inlinable
  @discardableResult
  public func gradient(
    of value: (Vector) -> Double, at x: Vector, valueAtX: Double? = nil,
    into gradient: inout Vector
  ) -> Double {
    let n = x.count
    if gradient.count != n { gradient = .zeros(n) }
    let f0 = valueAtX ?? value(x)
    var probe = x
    for i in 0..<n {
      let xi = x[i]
      let h = step(at: xi)
      probe[i] = xi + h
      let hPlus = probe[i] - xi
      let fPlus = value(probe)
      switch self {
      case .central:
        probe[i] = xi - h
        let hMinus = xi - probe[i]
        let fMinus = value(probe)
        gradient[i] = (fPlus - fMinus) / (hPlus + hMinus)
      case .forward:
        gradient[i] = (fPlus - f0) / hPlus
      }
      probe[i] = xi
    }
    return f0
  }
}

extension FunctionObjective {
  /// An objective from values only, with gradients by finite differences (see
  /// ``FiniteDifferenceGradient`` for the steps and their accuracy).
  ///
  /// Hessian-vector products then come from differences of these difference gradients, which
  /// loses about half of the remaining digits (relative error near 1e-5 for central gradients);
  /// prefer an analytic or autodiff gradient whenever curvature matters.
  ///
  /// - Parameters:
  ///   - dimension: n.
  ///   - value: x ↦ f(x).
  ///   - scheme: central (default, 2n + 1 values per gradient) or forward (n + 1).
  public init(
    dimension: Int, valueOnly value: @escaping @Sendable (Vector) -> Double,
    scheme: FiniteDifferenceGradient = .central
  ) {
    self.init(
      dimension: dimension, value: value,
      gradient: { x, g in scheme.gradient(of: value, at: x, into: &g) })
  }

  /// Wraps a value-only ``Objective``, with gradients by finite differences
  /// (see ``init(dimension:valueOnly:scheme:)``).
  @inlinable
  public init<O: Objective>(valueOnly objective: O, scheme: FiniteDifferenceGradient = .central) {
    self.init(
      dimension: objective.dimension, valueOnly: { objective.value(at: $0) }, scheme: scheme)
  }
}
