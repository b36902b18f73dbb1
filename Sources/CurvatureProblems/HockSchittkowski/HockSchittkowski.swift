import Curvature
import RealModule

/// Problems from W. Hock and K. Schittkowski, *Test Examples for Nonlinear Programming Codes*,
/// Lecture Notes in Economics and Mathematical Systems 187, Springer, 1981, with their published
/// optima, plus Rosenbrock's function on the unit disk. Inequalities are written cᵢ(x) ≥ 0 as
/// in the book.
public enum HockSchittkowski {
  /// Every problem of the collection, in numerical order.
  public static var all: [ConstrainedTestProblem] {
    [hs006, hs007, hs021, hs028, hs035, hs039, hs040, hs043, hs071, hs076, hs100, rosenbrockDisk]
  }

  /// The problem with the given name, if any.
  public static func named(_ name: String) -> ConstrainedTestProblem? {
    all.first { $0.name == name }
  }

  static func objective(
    _ n: Int, _ f: @escaping @Sendable (Vector) -> Double,
    _ g: @escaping @Sendable (Vector) -> Vector
  ) -> FunctionObjective {
    FunctionObjective(
      dimension: n, value: f,
      gradient: { x, out in
        out = g(x)
        return f(x)
      })
  }

  static func bounds(_ lower: [Double], _ upper: [Double]) -> Bounds {
    try! Bounds(lower: Vector(lower), upper: Vector(upper))
  }

  /// HS6: min (1 − x₁)² s.t. 10(x₂ − x₁²) = 0; x₀ = (−1.2, 1); f* = 0 at (1, 1).
  public static var hs006: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs006", source: "Hock & Schittkowski (1981), problem 6",
      objective: objective(2, { x in (1 - x[0]) * (1 - x[0]) }, { x in [-2 * (1 - x[0]), 0] }),
      constraints: FunctionConstraints(
        dimension: 2, equalityCount: 1,
        equalities: { x in [10 * (x[1] - x[0] * x[0])] },
        equalityJacobian: { x in Matrix([[-20 * x[0], 10]]) }),
      startingPoint: [-1.2, 1], optimalValue: 0, minimizer: [1, 1])
  }

  /// HS7: min log(1 + x₁²) − x₂ s.t. (1 + x₁²)² + x₂² − 4 = 0; x₀ = (2, 2); f* = −√3 at (0, √3).
  public static var hs007: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs007", source: "Hock & Schittkowski (1981), problem 7",
      objective: objective(
        2, { x in Double.log(1 + x[0] * x[0]) - x[1] },
        { x in [2 * x[0] / (1 + x[0] * x[0]), -1] }),
      constraints: FunctionConstraints(
        dimension: 2, equalityCount: 1,
        equalities: { x in
          let a = 1 + x[0] * x[0]
          return [a * a + x[1] * x[1] - 4]
        },
        equalityJacobian: { x in Matrix([[4 * x[0] * (1 + x[0] * x[0]), 2 * x[1]]]) }),
      startingPoint: [2, 2], optimalValue: -Double.sqrt(3), minimizer: [0, Double.sqrt(3)])
  }

  /// HS21: min 0.01x₁² + x₂² − 100 s.t. 10x₁ − x₂ − 10 ≥ 0, 2 ≤ x₁ ≤ 50, −50 ≤ x₂ ≤ 50;
  /// x₀ = (−1, −1) (infeasible); f* = −99.96 at (2, 0).
  public static var hs021: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs021", source: "Hock & Schittkowski (1981), problem 21",
      objective: objective(
        2, { x in 0.01 * x[0] * x[0] + x[1] * x[1] - 100 }, { x in [0.02 * x[0], 2 * x[1]] }),
      constraints: FunctionConstraints(
        dimension: 2, inequalityCount: 1,
        inequalities: { x in [10 * x[0] - x[1] - 10] },
        inequalityJacobian: { _ in Matrix([[10, -1]]) }),
      bounds: bounds([2, -50], [50, 50]),
      startingPoint: [-1, -1], optimalValue: -99.96, minimizer: [2, 0])
  }

  /// HS28: min (x₁ + x₂)² + (x₂ + x₃)² s.t. x₁ + 2x₂ + 3x₃ − 1 = 0; x₀ = (−4, 1, 1); f* = 0 at
  /// (0.5, −0.5, 0.5).
  public static var hs028: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs028", source: "Hock & Schittkowski (1981), problem 28",
      objective: objective(
        3,
        { x in (x[0] + x[1]) * (x[0] + x[1]) + (x[1] + x[2]) * (x[1] + x[2]) },
        { x in [2 * (x[0] + x[1]), 2 * (x[0] + x[1]) + 2 * (x[1] + x[2]), 2 * (x[1] + x[2])] }),
      constraints: FunctionConstraints(
        dimension: 3, equalityCount: 1,
        equalities: { x in [x[0] + 2 * x[1] + 3 * x[2] - 1] },
        equalityJacobian: { _ in Matrix([[1, 2, 3]]) }),
      startingPoint: [-4, 1, 1], optimalValue: 0, minimizer: [0.5, -0.5, 0.5])
  }

  /// HS35: min 9 − 8x₁ − 6x₂ − 4x₃ + 2x₁² + 2x₂² + x₃² + 2x₁x₂ + 2x₁x₃ s.t.
  /// 3 − x₁ − x₂ − 2x₃ ≥ 0, x ≥ 0; x₀ = (0.5, 0.5, 0.5); f* = 1/9 at (4/3, 7/9, 4/9).
  public static var hs035: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs035", source: "Hock & Schittkowski (1981), problem 35",
      objective: objective(
        3,
        { x in
          9 - 8 * x[0] - 6 * x[1] - 4 * x[2] + 2 * x[0] * x[0] + 2 * x[1] * x[1] + x[2] * x[2]
            + 2 * x[0] * x[1] + 2 * x[0] * x[2]
        },
        { x in
          [
            -8 + 4 * x[0] + 2 * x[1] + 2 * x[2], -6 + 4 * x[1] + 2 * x[0],
            -4 + 2 * x[2] + 2 * x[0],
          ]
        }),
      constraints: FunctionConstraints(
        dimension: 3, inequalityCount: 1,
        inequalities: { x in [3 - x[0] - x[1] - 2 * x[2]] },
        inequalityJacobian: { _ in Matrix([[-1, -1, -2]]) }),
      bounds: bounds([0, 0, 0], [.infinity, .infinity, .infinity]),
      startingPoint: [0.5, 0.5, 0.5], optimalValue: 1.0 / 9.0,
      minimizer: [4.0 / 3.0, 7.0 / 9.0, 4.0 / 9.0])
  }

  /// HS39: min −x₁ s.t. x₂ − x₁³ − x₃² = 0, x₁² − x₂ − x₄² = 0; x₀ = (2, 2, 2, 2); f* = −1 at
  /// (1, 1, 0, 0).
  public static var hs039: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs039", source: "Hock & Schittkowski (1981), problem 39",
      objective: objective(4, { x in -x[0] }, { _ in [-1, 0, 0, 0] }),
      constraints: FunctionConstraints(
        dimension: 4, equalityCount: 2,
        equalities: { x in
          [x[1] - x[0] * x[0] * x[0] - x[2] * x[2], x[0] * x[0] - x[1] - x[3] * x[3]]
        },
        equalityJacobian: { x in
          Matrix([
            [-3 * x[0] * x[0], 1, -2 * x[2], 0],
            [2 * x[0], -1, 0, -2 * x[3]],
          ])
        }),
      startingPoint: [2, 2, 2, 2], optimalValue: -1, minimizer: [1, 1, 0, 0])
  }

  /// HS40: min −x₁x₂x₃x₄ s.t. x₁³ + x₂² − 1 = 0, x₁²x₄ − x₃ = 0, x₄² − x₂ = 0;
  /// x₀ = (0.8, 0.8, 0.8, 0.8); f* = −0.25 at (2^(−1/3), 2^(−1/2), 2^(−11/12), 2^(−1/4)).
  public static var hs040: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs040", source: "Hock & Schittkowski (1981), problem 40",
      objective: objective(
        4, { x in -x[0] * x[1] * x[2] * x[3] },
        { x in
          [-x[1] * x[2] * x[3], -x[0] * x[2] * x[3], -x[0] * x[1] * x[3], -x[0] * x[1] * x[2]]
        }),
      constraints: FunctionConstraints(
        dimension: 4, equalityCount: 3,
        equalities: { x in
          [
            x[0] * x[0] * x[0] + x[1] * x[1] - 1, x[0] * x[0] * x[3] - x[2],
            x[3] * x[3] - x[1],
          ]
        },
        equalityJacobian: { x in
          Matrix([
            [3 * x[0] * x[0], 2 * x[1], 0, 0],
            [2 * x[0] * x[3], 0, -1, x[0] * x[0]],
            [0, -1, 0, 2 * x[3]],
          ])
        }),
      startingPoint: [0.8, 0.8, 0.8, 0.8], optimalValue: -0.25,
      minimizer: [
        Double.pow(2, -1.0 / 3.0), Double.pow(2, -0.5), Double.pow(2, -11.0 / 12.0),
        Double.pow(2, -0.25),
      ])
  }

  /// HS43 (Rosen-Suzuki): min x₁² + x₂² + 2x₃² + x₄² − 5x₁ − 5x₂ − 21x₃ + 7x₄ s.t. three
  /// quadratic inequalities; x₀ = 0; f* = −44 at (0, 1, 2, −1).
  public static var hs043: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs043", source: "Hock & Schittkowski (1981), problem 43 (Rosen-Suzuki)",
      objective: objective(
        4,
        { x in
          x[0] * x[0] + x[1] * x[1] + 2 * x[2] * x[2] + x[3] * x[3] - 5 * x[0] - 5 * x[1]
            - 21 * x[2] + 7 * x[3]
        },
        { x in [2 * x[0] - 5, 2 * x[1] - 5, 4 * x[2] - 21, 2 * x[3] + 7] }),
      constraints: FunctionConstraints(
        dimension: 4, inequalityCount: 3,
        inequalities: { x in
          let s = x.normSquared
          return [
            8 - s - x[0] + x[1] - x[2] + x[3],
            10 - x[0] * x[0] - 2 * x[1] * x[1] - x[2] * x[2] - 2 * x[3] * x[3] + x[0] + x[3],
            5 - 2 * x[0] * x[0] - x[1] * x[1] - x[2] * x[2] - 2 * x[0] + x[1] + x[3],
          ]
        },
        inequalityJacobian: { x in
          Matrix([
            [-2 * x[0] - 1, -2 * x[1] + 1, -2 * x[2] - 1, -2 * x[3] + 1],
            [-2 * x[0] + 1, -4 * x[1], -2 * x[2], -4 * x[3] + 1],
            [-4 * x[0] - 2, -2 * x[1] + 1, -2 * x[2], 1],
          ])
        }),
      startingPoint: [0, 0, 0, 0], optimalValue: -44, minimizer: [0, 1, 2, -1])
  }

  /// HS71: min x₁x₄(x₁ + x₂ + x₃) + x₃ s.t. x₁x₂x₃x₄ − 25 ≥ 0, Σxᵢ² − 40 = 0, 1 ≤ x ≤ 5;
  /// x₀ = (1, 5, 5, 1); f* = 17.0140173 at (1, 4.7429994, 3.8211503, 1.3794082).
  public static var hs071: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs071", source: "Hock & Schittkowski (1981), problem 71",
      objective: objective(
        4, { x in x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2] },
        { x in
          [
            x[3] * (2 * x[0] + x[1] + x[2]), x[0] * x[3], x[0] * x[3] + 1,
            x[0] * (x[0] + x[1] + x[2]),
          ]
        }),
      constraints: FunctionConstraints(
        dimension: 4, equalityCount: 1,
        equalities: { x in [x.normSquared - 40] },
        equalityJacobian: { x in Matrix([[2 * x[0], 2 * x[1], 2 * x[2], 2 * x[3]]]) },
        inequalityCount: 1,
        inequalities: { x in [x[0] * x[1] * x[2] * x[3] - 25] },
        inequalityJacobian: { x in
          Matrix([[x[1] * x[2] * x[3], x[0] * x[2] * x[3], x[0] * x[1] * x[3], x[0] * x[1] * x[2]]])
        }),
      bounds: bounds([1, 1, 1, 1], [5, 5, 5, 5]),
      startingPoint: [1, 5, 5, 1], optimalValue: 17.0140173,
      minimizer: [1, 4.7429994, 3.8211503, 1.3794082])
  }

  /// HS76: min x₁² + ½x₂² + x₃² + ½x₄² − x₁x₃ + x₃x₄ − x₁ − 3x₂ + x₃ − x₄ s.t. three linear
  /// inequalities and x ≥ 0; x₀ = (0.5, 0.5, 0.5, 0.5); f* = −4.681818181 at
  /// (0.2727273, 2.090909, 0, 0.5454545).
  public static var hs076: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs076", source: "Hock & Schittkowski (1981), problem 76",
      objective: objective(
        4,
        { x in
          x[0] * x[0] + 0.5 * x[1] * x[1] + x[2] * x[2] + 0.5 * x[3] * x[3] - x[0] * x[2]
            + x[2] * x[3] - x[0] - 3 * x[1] + x[2] - x[3]
        },
        { x in
          [2 * x[0] - x[2] - 1, x[1] - 3, 2 * x[2] - x[0] + x[3] + 1, x[3] + x[2] - 1]
        }),
      constraints: FunctionConstraints(
        dimension: 4, inequalityCount: 3,
        inequalities: { x in
          [
            5 - x[0] - 2 * x[1] - x[2] - x[3], 4 - 3 * x[0] - x[1] - 2 * x[2] + x[3],
            x[1] + 4 * x[2] - 1.5,
          ]
        },
        inequalityJacobian: { _ in
          Matrix([[-1, -2, -1, -1], [-3, -1, -2, 1], [0, 1, 4, 0]])
        }),
      bounds: bounds([0, 0, 0, 0], [.infinity, .infinity, .infinity, .infinity]),
      startingPoint: [0.5, 0.5, 0.5, 0.5], optimalValue: -103.0 / 22.0,
      minimizer: [3.0 / 11.0, 23.0 / 11.0, 0, 6.0 / 11.0])
  }

  /// HS100: a 7-variable problem with four nonlinear inequalities; x₀ = (1, 2, 0, 4, 0, 1, 1);
  /// f* = 680.6300573 at (2.330499, 1.951372, −0.4775414, 4.365726, −0.6244870, 1.038131,
  /// 1.594227).
  public static var hs100: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "hs100", source: "Hock & Schittkowski (1981), problem 100",
      objective: objective(
        7,
        { x in
          let a = (x[0] - 10) * (x[0] - 10) + 5 * (x[1] - 12) * (x[1] - 12)
          let b = Double.pow(x[2], 4) + 3 * (x[3] - 11) * (x[3] - 11)
          let c = 10 * Double.pow(x[4], 6) + 7 * x[5] * x[5] + Double.pow(x[6], 4)
          return a + b + c - 4 * x[5] * x[6] - 10 * x[5] - 8 * x[6]
        },
        { x in
          [
            2 * (x[0] - 10), 10 * (x[1] - 12), 4 * Double.pow(x[2], 3), 6 * (x[3] - 11),
            60 * Double.pow(x[4], 5), 14 * x[5] - 4 * x[6] - 10,
            4 * Double.pow(x[6], 3) - 4 * x[5] - 8,
          ]
        }),
      constraints: FunctionConstraints(
        dimension: 7, inequalityCount: 4,
        inequalities: { x in
          [
            127 - 2 * x[0] * x[0] - 3 * Double.pow(x[1], 4) - x[2] - 4 * x[3] * x[3] - 5 * x[4],
            282 - 7 * x[0] - 3 * x[1] - 10 * x[2] * x[2] - x[3] + x[4],
            196 - 23 * x[0] - x[1] * x[1] - 6 * x[5] * x[5] + 8 * x[6],
            -4 * x[0] * x[0] - x[1] * x[1] + 3 * x[0] * x[1] - 2 * x[2] * x[2] - 5 * x[5]
              + 11 * x[6],
          ]
        },
        inequalityJacobian: { x in
          Matrix([
            [-4 * x[0], -12 * Double.pow(x[1], 3), -1, -8 * x[3], -5, 0, 0],
            [-7, -3, -20 * x[2], -1, 1, 0, 0],
            [-23, -2 * x[1], 0, 0, 0, -12 * x[5], 8],
            [-8 * x[0] + 3 * x[1], -2 * x[1] + 3 * x[0], -4 * x[2], 0, 0, -5, 11],
          ])
        }),
      startingPoint: [1, 2, 0, 4, 0, 1, 1], optimalValue: 680.6300573,
      minimizer: [2.330499, 1.951372, -0.4775414, 4.365726, -0.6244870, 1.038131, 1.594227])
  }

  /// Rosenbrock's function on the unit disk: min (1 − x₁)² + 100(x₂ − x₁²)² s.t.
  /// 1 − x₁² − x₂² ≥ 0; x₀ = (0, 0); f* ≈ 0.0456748087 at ≈ (0.7864152, 0.6176982), on the
  /// boundary (the classic constrained example of MATLAB's `fmincon` documentation).
  public static var rosenbrockDisk: ConstrainedTestProblem {
    ConstrainedTestProblem(
      name: "rosenbrock_disk", source: "Rosenbrock (1960) constrained to the unit disk",
      objective: objective(
        2,
        { x in (1 - x[0]) * (1 - x[0]) + 100 * (x[1] - x[0] * x[0]) * (x[1] - x[0] * x[0]) },
        { x in
          [
            -2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] * x[0]), 200 * (x[1] - x[0] * x[0]),
          ]
        }),
      constraints: FunctionConstraints(
        dimension: 2, inequalityCount: 1,
        inequalities: { x in [1 - x[0] * x[0] - x[1] * x[1]] },
        inequalityJacobian: { x in Matrix([[-2 * x[0], -2 * x[1]]]) }),
      startingPoint: [0, 0], optimalValue: 0.0456748087,
      minimizer: [0.7864152, 0.6176982])
  }
}
