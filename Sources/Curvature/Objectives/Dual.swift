import RealModule

/// A scalar that residual and objective code can be written over once, then evaluated either in
/// plain `Double` arithmetic or in forward-mode ``Dual`` arithmetic.
///
/// Writing a function `f<T: ScalarMath>(_ x: [T]) -> T` and calling it with
/// `Dual(value: xᵢ, derivative: vᵢ)` returns f(x) together with the directional derivative
/// ∇f(x)·v, exact to rounding (forward-mode automatic differentiation; Griewank & Walther,
/// *Evaluating Derivatives*, 2nd ed., SIAM 2008, ch. 3). Applied to a hand-written gradient, the
/// same evaluation gives an exact Hessian-vector product ∇²f(x)·v.
///
/// Branches must compare ``primal`` values; constants enter through ``init(_:)`` or the mixed
/// operators taking a `Double`, which cost less than lifting the constant first.
public protocol ScalarMath: Sendable {
  /// Lifts a constant (its derivative part is zero).
  init(_ value: Double)
  /// The value part, used for comparisons and branches.
  var primal: Double { get }

  /// Sum.
  static func + (lhs: Self, rhs: Self) -> Self
  /// Difference.
  static func - (lhs: Self, rhs: Self) -> Self
  /// Product.
  static func * (lhs: Self, rhs: Self) -> Self
  /// Quotient.
  static func / (lhs: Self, rhs: Self) -> Self
  /// Sum with a constant.
  static func + (lhs: Self, rhs: Double) -> Self
  /// Sum with a constant.
  static func + (lhs: Double, rhs: Self) -> Self
  /// Difference with a constant.
  static func - (lhs: Self, rhs: Double) -> Self
  /// Difference from a constant.
  static func - (lhs: Double, rhs: Self) -> Self
  /// Product with a constant.
  static func * (lhs: Self, rhs: Double) -> Self
  /// Product with a constant.
  static func * (lhs: Double, rhs: Self) -> Self
  /// Quotient by a constant.
  static func / (lhs: Self, rhs: Double) -> Self
  /// Quotient of a constant.
  static func / (lhs: Double, rhs: Self) -> Self
  /// Negation.
  static prefix func - (operand: Self) -> Self

  /// eˣ.
  static func exp(_ x: Self) -> Self
  /// The natural logarithm ln x.
  static func log(_ x: Self) -> Self
  /// sin x.
  static func sin(_ x: Self) -> Self
  /// cos x.
  static func cos(_ x: Self) -> Self
  /// arctan x, in (−π/2, π/2).
  static func atan(_ x: Self) -> Self
  /// √x.
  static func sqrt(_ x: Self) -> Self
  /// xⁿ for an integer power n.
  static func pow(_ x: Self, _ n: Int) -> Self
}

extension ScalarMath {
  /// x ← x + y.
  @inlinable
  public static func += (lhs: inout Self, rhs: Self) { lhs = lhs + rhs }
  /// x ← x − y.
  @inlinable
  public static func -= (lhs: inout Self, rhs: Self) { lhs = lhs - rhs }
  /// x ← x · y.
  @inlinable
  public static func *= (lhs: inout Self, rhs: Self) { lhs = lhs * rhs }
}

extension Double: ScalarMath {
  /// The value itself.
  @inlinable
  public var primal: Double { self }
}

/// A forward-mode dual number a + ȧε with ε² = 0: a value and its derivative along one direction.
///
/// Arithmetic propagates the derivative by the chain rule, so evaluating a function at
/// `Dual(value: x, derivative: v)` yields (f(x), f′(x)·v) exact to rounding. See ``ScalarMath``
/// and Griewank & Walther, *Evaluating Derivatives* (SIAM 2008), ch. 3.
@frozen
public struct Dual: ScalarMath, Hashable, CustomStringConvertible {
  /// The value part a.
  public var value: Double
  /// The derivative (tangent) part ȧ.
  public var derivative: Double

  /// Creates a + ȧε.
  @inlinable
  public init(value: Double, derivative: Double) {
    self.value = value
    self.derivative = derivative
  }

  /// Lifts a constant: a + 0ε.
  @inlinable
  public init(_ value: Double) {
    self.value = value
    self.derivative = 0
  }

  /// The value part, for comparisons.
  @inlinable
  public var primal: Double { value }

  /// "a + ȧε".
  public var description: String {
    "\(formatNumber(value, significantDigits: 17)) + \(formatNumber(derivative, significantDigits: 17))ε"
  }

  /// (a + ȧε) + (b + ḃε) = (a + b) + (ȧ + ḃ)ε.
  @inlinable
  public static func + (lhs: Dual, rhs: Dual) -> Dual {
    Dual(value: lhs.value + rhs.value, derivative: lhs.derivative + rhs.derivative)
  }

  /// (a + ȧε) − (b + ḃε) = (a − b) + (ȧ − ḃ)ε.
  @inlinable
  public static func - (lhs: Dual, rhs: Dual) -> Dual {
    Dual(value: lhs.value - rhs.value, derivative: lhs.derivative - rhs.derivative)
  }

  /// (a + ȧε)(b + ḃε) = ab + (ȧb + aḃ)ε.
  @inlinable
  public static func * (lhs: Dual, rhs: Dual) -> Dual {
    Dual(
      value: lhs.value * rhs.value,
      derivative: lhs.derivative * rhs.value + lhs.value * rhs.derivative)
  }

  /// (a + ȧε)/(b + ḃε) = q + (ȧ − qḃ)/b ε with q = a/b.
  @inlinable
  public static func / (lhs: Dual, rhs: Dual) -> Dual {
    let q = lhs.value / rhs.value
    return Dual(value: q, derivative: (lhs.derivative - q * rhs.derivative) / rhs.value)
  }

  /// (a + ȧε) + c.
  @inlinable
  public static func + (lhs: Dual, rhs: Double) -> Dual {
    Dual(value: lhs.value + rhs, derivative: lhs.derivative)
  }

  /// c + (a + ȧε).
  @inlinable
  public static func + (lhs: Double, rhs: Dual) -> Dual {
    Dual(value: lhs + rhs.value, derivative: rhs.derivative)
  }

  /// (a + ȧε) − c.
  @inlinable
  public static func - (lhs: Dual, rhs: Double) -> Dual {
    Dual(value: lhs.value - rhs, derivative: lhs.derivative)
  }

  /// c − (a + ȧε).
  @inlinable
  public static func - (lhs: Double, rhs: Dual) -> Dual {
    Dual(value: lhs - rhs.value, derivative: -rhs.derivative)
  }

  /// (a + ȧε)c.
  @inlinable
  public static func * (lhs: Dual, rhs: Double) -> Dual {
    Dual(value: lhs.value * rhs, derivative: lhs.derivative * rhs)
  }

  /// c(a + ȧε).
  @inlinable
  public static func * (lhs: Double, rhs: Dual) -> Dual {
    Dual(value: lhs * rhs.value, derivative: lhs * rhs.derivative)
  }

  /// (a + ȧε)/c.
  @inlinable
  public static func / (lhs: Dual, rhs: Double) -> Dual {
    Dual(value: lhs.value / rhs, derivative: lhs.derivative / rhs)
  }

  /// c/(a + ȧε) = c/a − (c/a)(ȧ/a)ε.
  @inlinable
  public static func / (lhs: Double, rhs: Dual) -> Dual {
    let q = lhs / rhs.value
    return Dual(value: q, derivative: -q * rhs.derivative / rhs.value)
  }

  /// −(a + ȧε).
  @inlinable
  public static prefix func - (operand: Dual) -> Dual {
    Dual(value: -operand.value, derivative: -operand.derivative)
  }

  /// exp(a + ȧε) = eᵃ + eᵃȧε.
  @inlinable
  public static func exp(_ x: Dual) -> Dual {
    let e = Double.exp(x.value)
    return Dual(value: e, derivative: e * x.derivative)
  }

  /// log(a + ȧε) = ln a + (ȧ/a)ε.
  @inlinable
  public static func log(_ x: Dual) -> Dual {
    Dual(value: Double.log(x.value), derivative: x.derivative / x.value)
  }

  /// sin(a + ȧε) = sin a + ȧ cos a ε.
  @inlinable
  public static func sin(_ x: Dual) -> Dual {
    Dual(value: Double.sin(x.value), derivative: x.derivative * Double.cos(x.value))
  }

  /// cos(a + ȧε) = cos a − ȧ sin a ε.
  @inlinable
  public static func cos(_ x: Dual) -> Dual {
    Dual(value: Double.cos(x.value), derivative: -x.derivative * Double.sin(x.value))
  }

  /// atan(a + ȧε) = arctan a + ȧ/(1 + a²) ε.
  @inlinable
  public static func atan(_ x: Dual) -> Dual {
    Dual(value: Double.atan(x.value), derivative: x.derivative / (1 + x.value * x.value))
  }

  /// √(a + ȧε) = √a + ȧ/(2√a) ε.
  @inlinable
  public static func sqrt(_ x: Dual) -> Dual {
    let s = x.value.squareRoot()
    return Dual(value: s, derivative: x.derivative / (2 * s))
  }

  /// (a + ȧε)ⁿ = aⁿ + n aⁿ⁻¹ ȧ ε (and 1 for n = 0).
  @inlinable
  public static func pow(_ x: Dual, _ n: Int) -> Dual {
    if n == 0 { return Dual(1) }
    let p = Double.pow(x.value, n - 1)
    return Dual(value: p * x.value, derivative: Double(n) * p * x.derivative)
  }
}
