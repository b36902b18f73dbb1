import Curvature
import Foundation

/// A dense linear-algebra operation timed by `curvature bench --suite dense`.
///
/// Each operation runs through the public API of `Curvature` on n × n inputs and has a nominal
/// flop count (the usual leading term, as in Golub & Van Loan, Matrix Computations, 4th ed.), from
/// which the throughput is reported. scripts/dense_numpy.py times the same operations in
/// NumPy/SciPy under the same names.
public enum DenseOperation: String, CaseIterable, Sendable, Codable {
  /// C = AB by `Matrix * Matrix` (2n³ flops).
  case gemm
  /// C = AᵀB by `transposeMultiply(_:)` (2n³ flops).
  case gemmAtB = "gemm-atb"
  /// C = ABᵀ by `multiplyTranspose(_:)` (2n³ flops).
  case gemmABt = "gemm-abt"
  /// C = AᵀA by `Matrix.symmetricRankKUpdate(alpha:a:beta:c:operation:)` with β = 0 (n³ flops).
  case syrk
  /// S = LLᵀ by `CholeskyFactorization(of:)` (n³/3 flops).
  case cholesky
  /// LX = A for the n columns of A, with L the Cholesky factor of S, by
  /// `CholeskyFactorization.solveLower(_:)` with a matrix right-hand side (blocked forward
  /// substitution, BLAS `dtrsm`; n³ flops).
  case trsm
  /// SX = A for the n columns of A with a given factor, `CholeskyFactorization.solve(_:)` with a
  /// matrix right-hand side: LY = A, then LᵀX = Y (two triangular solves, n³ flops each).
  case choleskySolve = "cholesky-solve"
  /// A = QR by `QRFactorization(of:)` (Householder, compact form; 4n³/3 flops).
  case qr
  /// S = VΛVᵀ with eigenvectors by `SymmetricEigendecomposition(of:)` (a nominal 9n³ flops, the
  /// count of the symmetric QR algorithm with accumulated vectors, Golub & Van Loan §8.3).
  case eigh

  /// The nominal flop count at order `n`.
  public func nominalFlops(_ n: Int) -> Double {
    let cube = Double(n) * Double(n) * Double(n)
    switch self {
    case .gemm, .gemmAtB, .gemmABt, .choleskySolve: return 2 * cube
    case .syrk, .trsm: return cube
    case .cholesky: return cube / 3
    case .qr: return 4 * cube / 3
    case .eigh: return 9 * cube
    }
  }

  /// Whether the operation reads the symmetric positive definite input S.
  var needsSymmetricInput: Bool {
    self == .cholesky || self == .trsm || self == .choleskySolve || self == .eigh
  }
}

/// The median time of one dense operation at one order n, with the residual of its result.
public struct DenseTiming: Sendable, Hashable, Codable {
  /// The operation's name (a ``DenseOperation`` raw value).
  public var operation: String
  /// The matrix order.
  public var n: Int
  /// The median seconds per call.
  public var seconds: Double
  /// The number of timed calls behind the median.
  public var runs: Int
  /// The nominal flop count (see ``DenseOperation/nominalFlops(_:)``).
  public var flops: Double
  /// The relative residual of the result, probed with a fixed random vector (see
  /// ``DenseBenchmarks``); +∞ when the operation failed.
  public var residual: Double

  /// A timing.
  public init(
    operation: String, n: Int, seconds: Double, runs: Int, flops: Double, residual: Double
  ) {
    self.operation = operation
    self.n = n
    self.seconds = seconds
    self.runs = runs
    self.flops = flops
    self.residual = residual
  }

  /// Throughput in GFLOP/s (10⁹ nominal flops per second).
  public var gigaflopsPerSecond: Double { flops / seconds / 1e9 }

  /// Whether the residual passes the check (at most ``DenseBenchmarks/residualTolerance``).
  public var passes: Bool { residual <= DenseBenchmarks.residualTolerance }
}

/// The inputs of the dense suite at one order n, the same as scripts/dense_numpy.py builds.
///
/// Every entry of A, B and x is 2u − 1 for successive uniforms u of a ``SplitMix64`` generator
/// (seeds 1, 2 and 3), filled in row-major order; since u = k·2⁻⁵³, the numbers are exact and agree
/// bit for bit with the Python twin. S = BᵀB + nI is symmetric positive definite, with eigenvalues
/// in about [n, 7n/3].
struct DenseInputs {
  /// The general matrix A.
  let a: Matrix
  /// The general matrix B.
  let b: Matrix
  /// The symmetric positive definite S = BᵀB + nI (empty unless requested).
  let s: Matrix
  /// The probe vector of the residuals.
  let x: Vector

  /// The inputs at order `n`, with S when `symmetric`.
  init(n: Int, symmetric: Bool) {
    a = Self.uniformMatrix(n, seed: 1)
    b = Self.uniformMatrix(n, seed: 2)
    x = Vector(Self.uniforms(n, seed: 3))
    if symmetric {
      var gram = Matrix(rows: n, columns: n)
      Matrix.symmetricRankKUpdate(alpha: 1, a: b, beta: 0, c: &gram)
      s = gram.addingToDiagonal(Double(n))
    } else {
      s = Matrix(rows: 0, columns: 0)
    }
  }

  /// `count` numbers 2u − 1 from a SplitMix64 generator with the given seed.
  static func uniforms(_ count: Int, seed: UInt64) -> [Double] {
    var rng = SplitMix64(seed: seed)
    var values: [Double] = []
    values.reserveCapacity(count)
    for _ in 0..<count { values.append(2 * rng.uniform() - 1) }
    return values
  }

  /// An n × n matrix of ``uniforms(_:seed:)`` in row-major order.
  static func uniformMatrix(_ n: Int, seed: UInt64) -> Matrix {
    Matrix(rows: n, columns: n, storage: uniforms(n * n, seed: seed))
  }
}

/// Times Curvature's dense kernels through the public API: products, the symmetric rank-k
/// update, Cholesky, triangular solves, QR and the symmetric eigendecomposition (see
/// ``DenseOperation``) at a few orders n, reporting the median seconds, the throughput by the
/// nominal flop count and a residual of the result, so that a broken kernel shows in the bench.
///
/// Each (operation, n) is called once as a warm-up and then `repeats` times; a warm-up longer
/// than ``singleRunSeconds`` is not repeated (its time is reported, one run). The residuals are
/// computed afterwards, untimed, in O(n²) work by probing with a fixed random vector x (scaled by
/// Frobenius norms):
///
/// - products: ‖Cx − A(Bx)‖/(‖A‖‖B‖‖x‖) (Aᵀ(Bx) and A(Bᵀx) for the transposed forms);
/// - syrk: ‖Cx − Aᵀ(Ax)‖/(‖A‖²‖x‖);
/// - cholesky: ‖Sx − L(Lᵀx)‖/(‖S‖‖x‖);
/// - trsm: ‖L(Xx) − Ax‖/(‖L‖‖X‖‖x‖);
/// - cholesky-solve: ‖S(Xx) − Ax‖/(‖S‖‖X‖‖x‖);
/// - qr: ‖Q(Rx) − Ax‖/(‖A‖‖x‖), Q applied from its reflectors;
/// - eigh: max(‖S(Vx) − V(Λx)‖/(‖S‖‖x‖), ‖Vᵀ(Vx) − x‖/‖x‖).
///
/// A product Mx with a random dense x is zero only if M is (almost surely), so a wrong entry
/// anywhere shows; the rounding level is about 10⁻¹⁶ here.
public enum DenseBenchmarks {
  /// The default matrix orders.
  public static let defaultSizes = [100, 500, 1000, 2000]

  /// The default number of timed calls.
  public static let defaultRepeats = 5

  /// A warm-up call longer than this many seconds is not repeated.
  public static let singleRunSeconds = 10.0

  /// The largest residual counted as correct.
  public static let residualTolerance = 1e-10

  /// Times each of `operations` at every order in `sizes` with `repeats` timed calls after a
  /// warm-up; `progress` is told after each (operation, n).
  public static func run(
    sizes: [Int], operations: [DenseOperation] = DenseOperation.allCases, repeats: Int,
    progress: ((String) -> Void)? = nil
  ) -> [DenseTiming] {
    precondition(repeats >= 1, "repeats must be at least 1, got \(repeats)")
    var timings: [DenseTiming] = []
    for n in sizes {
      precondition(n >= 1, "matrix orders must be positive, got \(n)")
      let inputs = DenseInputs(n: n, symmetric: operations.contains(where: \.needsSymmetricInput))
      for operation in operations {
        let t = measure(operation, inputs: inputs, n: n, repeats: repeats)
        timings.append(t)
        progress?(
          "\(operation.rawValue) n = \(n): \(formatDuration(t.seconds)), "
            + "\(formatFixed(t.gigaflopsPerSecond, digits: 2)) GFLOP/s, residual "
            + formatScientific(t.residual, digits: 1))
      }
    }
    return timings
  }

  /// Times one operation on the inputs of order `n` and checks its last result.
  static func measure(
    _ operation: DenseOperation, inputs: DenseInputs, n: Int, repeats: Int
  ) -> DenseTiming {
    let a = inputs.a
    let b = inputs.b
    let s = inputs.s
    let x = inputs.x
    let xNorm = x.norm
    func relative(_ difference: Vector, _ scale: Double) -> Double {
      difference.norm / (scale * xNorm)
    }
    let seconds: Double
    let runs: Int
    var residual = Double.infinity
    switch operation {
    case .gemm:
      let (t, k, c) = time(repeats) { a * b }
      (seconds, runs) = (t, k)
      residual = relative(c * x - a * (b * x), a.frobeniusNorm * b.frobeniusNorm)
    case .gemmAtB:
      let (t, k, c) = time(repeats) { a.transposeMultiply(b) }
      (seconds, runs) = (t, k)
      residual = relative(
        c * x - a.transposeMultiply(b * x), a.frobeniusNorm * b.frobeniusNorm)
    case .gemmABt:
      let (t, k, c) = time(repeats) { a.multiplyTranspose(b) }
      (seconds, runs) = (t, k)
      residual = relative(
        c * x - a * b.transposeMultiply(x), a.frobeniusNorm * b.frobeniusNorm)
    case .syrk:
      let (t, k, c) = time(repeats) {
        var c = Matrix(rows: n, columns: n)
        Matrix.symmetricRankKUpdate(alpha: 1, a: a, beta: 0, c: &c)
        return c
      }
      (seconds, runs) = (t, k)
      residual = relative(
        c * x - a.transposeMultiply(a * x), a.frobeniusNorm * a.frobeniusNorm)
    case .cholesky:
      let (t, k, factor) = time(repeats) { CholeskyFactorization(of: s) }
      (seconds, runs) = (t, k)
      if let l = factor?.lower {
        residual = relative(s * x - l * l.transposeMultiply(x), s.frobeniusNorm)
      }
    case .trsm:
      guard let factor = CholeskyFactorization(of: s) else {
        return DenseTiming(
          operation: operation.rawValue, n: n, seconds: .nan, runs: 0,
          flops: operation.nominalFlops(n), residual: .infinity)
      }
      let l = factor.lower
      let (t, k, solution) = time(repeats) { factor.solveLower(a) }
      (seconds, runs) = (t, k)
      residual = relative(
        l * (solution * x) - a * x, l.frobeniusNorm * solution.frobeniusNorm)
    case .choleskySolve:
      guard let factor = CholeskyFactorization(of: s) else {
        return DenseTiming(
          operation: operation.rawValue, n: n, seconds: .nan, runs: 0,
          flops: operation.nominalFlops(n), residual: .infinity)
      }
      let (t, k, solution) = time(repeats) { factor.solve(a) }
      (seconds, runs) = (t, k)
      residual = relative(s * (solution * x) - a * x, s.frobeniusNorm * solution.frobeniusNorm)
    case .qr:
      let (t, k, factorization) = time(repeats) { QRFactorization(of: a) }
      (seconds, runs) = (t, k)
      if let f = factorization {
        residual = relative(f.multiplyQ(f.r * x) - a * x, a.frobeniusNorm)
      }
    case .eigh:
      let (t, k, decomposition) = time(repeats) { SymmetricEigendecomposition(of: s) }
      (seconds, runs) = (t, k)
      if let e = decomposition {
        let v = e.eigenvectors
        let vx = v * x
        let decompositionResidual = relative(s * vx - v * (e.eigenvalues .* x), s.frobeniusNorm)
        let orthogonality = relative(v.transposeMultiply(vx) - x, 1)
        residual = max(decompositionResidual, orthogonality)
      }
    }
    return DenseTiming(
      operation: operation.rawValue, n: n, seconds: seconds, runs: runs,
      flops: operation.nominalFlops(n), residual: residual.isNaN ? .infinity : residual)
  }

  /// Calls `body` once as a warm-up and then `repeats` times, returning the median seconds of
  /// the timed calls, their number and the last result; when the warm-up takes longer than
  /// ``singleRunSeconds`` its own time is returned (one run).
  static func time<Result>(_ repeats: Int, _ body: () -> Result) -> (Double, Int, Result) {
    let clock = ContinuousClock()
    var start = clock.now
    var result = body()
    let warmUp = durationSeconds(clock.now - start)
    if warmUp > singleRunSeconds { return (warmUp, 1, result) }
    var samples: [Double] = []
    for _ in 0..<repeats {
      start = clock.now
      result = body()
      samples.append(durationSeconds(clock.now - start))
    }
    return (SummaryStatistics.median(samples)!, repeats, result)
  }

  /// The report table: operation, n, timed runs, median seconds, GFLOP/s, residual and its check
  /// (the same columns as scripts/dense_numpy.py prints).
  public static func table(_ timings: [DenseTiming]) -> TextTable {
    var t = TextTable(
      headers: ["operation", "n", "runs", "median s", "GFLOP/s", "residual", "check"],
      rightAligned: [1, 2, 3, 4, 5])
    for d in timings {
      t.append([
        d.operation, String(d.n), String(d.runs), formatScientific(d.seconds, digits: 3),
        formatFixed(d.gigaflopsPerSecond, digits: 2), formatScientific(d.residual, digits: 1),
        d.passes ? "ok" : "FAIL",
      ])
    }
    return t
  }

  /// Throughput in GFLOP/s against n (logarithmic), one line per operation.
  public static func plot(_ timings: [DenseTiming]) -> SVGPlot {
    var names: [String] = []
    for t in timings where !names.contains(t.operation) { names.append(t.operation) }
    return SVGPlot(
      title: "Dense kernel throughput (nominal flops)", xLabel: "matrix order n",
      yLabel: "GFLOP/s", xScale: .logarithmic,
      series: names.map { name in
        SVGPlot.Series(
          name: name,
          points: timings.filter { $0.operation == name && $0.seconds > 0 }.map {
            SVGPlot.Point(Double($0.n), $0.gigaflopsPerSecond)
          }, showsMarkers: true)
      })
  }
}

/// The JSON file of `curvature bench --suite dense --json`: `{"meta": {...}, "dense": [...]}`,
/// read by scripts/dense_numpy.py.
public struct DenseBenchmarkFile: Sendable, Codable {
  /// Where and how the timings were produced.
  public struct Meta: Sendable, Codable, Hashable {
    /// The producing tool (`curvature`).
    public var tool: String
    /// The suite (`dense`).
    public var suite: String
    /// Timed calls per (operation, n) after the warm-up.
    public var repeats: Int
    /// The matrix orders.
    public var sizes: [Int]
    /// The processors the process could use.
    public var processors: Int
    /// When the file was written (ISO 8601).
    public var date: String

    /// Metadata.
    public init(
      tool: String = "curvature", suite: String = "dense", repeats: Int, sizes: [Int],
      processors: Int, date: String
    ) {
      self.tool = tool
      self.suite = suite
      self.repeats = repeats
      self.sizes = sizes
      self.processors = processors
      self.date = date
    }
  }

  /// The metadata.
  public var meta: Meta
  /// The timings, operation by operation within each order n.
  public var dense: [DenseTiming]

  /// A file.
  public init(meta: Meta, dense: [DenseTiming]) {
    self.meta = meta
    self.dense = dense
  }

  /// The JSON text, with the record conventions (``BenchmarkRecordFile/makeEncoder()``: sorted
  /// keys, and non-finite numbers as the strings "inf", "-inf", "nan").
  public func encoded() throws -> Data { try BenchmarkRecordFile.makeEncoder().encode(self) }

  /// Reads a file written by ``encoded()``.
  public static func decode(_ data: Data) throws -> DenseBenchmarkFile {
    try BenchmarkRecordFile.makeDecoder().decode(DenseBenchmarkFile.self, from: data)
  }
}
