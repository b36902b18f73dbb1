import Foundation

/// One solver run, as written by `curvature bench --json` and `curvature solve --json`.
///
/// The JSON field names are `problem`, `n`, `method`, `success`, `iterations`, `nfev`, `ngev`,
/// `nhev`, `f`, `gnorm`, `seconds` and `termination`, close to the peer harness's rows so that
/// both can be compared side by side (`curvature compare`). `success` uses the peers' test,
/// ‖∇f(x_final)‖∞ ≤ 10⁻⁶ checked afterwards with the problem's own gradient (for the constrained
/// suite, see ``ConstrainedBenchmark``). Extra fields (`suite`, `lre`, `ferror`, `njprod`, `ncev`,
/// `njev`, `violation`, `kkt`) appear only where they apply.
public struct BenchmarkRecord: Sendable, Hashable, Codable {
  /// The problem name (shared with the peer harness).
  public var problem: String
  /// The number of variables.
  public var n: Int
  /// The method name (`newton-cg`, `lbfgs`, ...).
  public var method: String
  /// Whether the final gradient passed the success test.
  public var success: Bool
  /// Iterations reported by the solver.
  public var iterations: Int
  /// Objective evaluations (values without a gradient, plus residual evaluations).
  public var nfev: Int
  /// Gradient evaluations (including those spent on finite-difference products and Jacobians).
  public var ngev: Int
  /// Hessian-vector products plus dense Hessian evaluations.
  public var nhev: Int
  /// The final objective value.
  public var f: Double
  /// ‖∇f(x_final)‖∞.
  public var gnorm: Double
  /// Wall-clock time of one solve in seconds (the median over repeats).
  public var seconds: Double
  /// Why the solver stopped, in words.
  public var termination: String

  // Extra fields, written only when set (files without them still decode).

  /// The benchmark suite of the run (`mgh`, `large`, `least-squares`, `constrained`).
  public var suite: String?
  /// The log relative error −log₁₀(|f − f*|/|f*|) (−log₁₀|f| when f* = 0), capped at 15, when
  /// f* is known.
  public var lre: Double?
  /// |f − f*|, when f* is known.
  public var ferror: Double?
  /// Jacobian products J·v and Jᵀ·w (least-squares runs).
  public var njprod: Int?
  /// Evaluations of the constraint values c(x) (constrained runs).
  public var ncev: Int?
  /// Evaluations of the constraint Jacobians (constrained runs).
  public var njev: Int?
  /// The largest violation of the constraints and bounds at the final point, recomputed from the
  /// problem (constrained runs).
  public var violation: Double?
  /// The KKT residual at the final point (constrained runs; see ``ConstrainedBenchmark``).
  public var kkt: Double?

  /// A record.
  public init(
    problem: String, n: Int, method: String, success: Bool, iterations: Int, nfev: Int,
    ngev: Int, nhev: Int, f: Double, gnorm: Double, seconds: Double, termination: String
  ) {
    self.problem = problem
    self.n = n
    self.method = method
    self.success = success
    self.iterations = iterations
    self.nfev = nfev
    self.ngev = ngev
    self.nhev = nhev
    self.f = f
    self.gnorm = gnorm
    self.seconds = seconds
    self.termination = termination
  }
}

/// A file of benchmark records: `{"meta": {...}, "records": [...], "kernels": [...],
/// "curves": [...]}`.
public struct BenchmarkRecordFile: Sendable, Codable {
  /// Where and how the records were produced.
  public struct Meta: Sendable, Codable, Hashable {
    /// The producing tool (`curvature`).
    public var tool: String
    /// The suite (`mgh`, `large`, ...).
    public var suite: String
    /// Timed repeats per run (the median is recorded).
    public var repeats: Int
    /// The gradient tolerance of the success test.
    public var gradientTolerance: Double
    /// When the file was written (ISO 8601).
    public var date: String

    /// Metadata.
    public init(
      tool: String = "curvature", suite: String, repeats: Int, gradientTolerance: Double,
      date: String
    ) {
      self.tool = tool
      self.suite = suite
      self.repeats = repeats
      self.gradientTolerance = gradientTolerance
      self.date = date
    }
  }

  /// The metadata.
  public var meta: Meta?
  /// The solver records.
  public var records: [BenchmarkRecord]
  /// Kernel timings, when the kernel suite ran.
  public var kernels: [KernelTiming]?
  /// The convergence curves, when `--curves` recorded them (suite, problem, method, optimalValue
  /// and the points: iteration, value, gradientNorm).
  public var curves: [ConvergenceCurve]?

  /// A file with the given records.
  public init(
    meta: Meta?, records: [BenchmarkRecord], kernels: [KernelTiming]? = nil,
    curves: [ConvergenceCurve]? = nil
  ) {
    self.meta = meta
    self.records = records
    self.kernels = kernels
    self.curves = curves
  }

  /// The JSON encoder used for records: sorted keys, pretty-printed, and non-finite numbers as
  /// the strings `"inf"`, `"-inf"`, `"nan"` (JSON has no literal for them).
  public static func makeEncoder() -> JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys]
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return e
  }

  /// The matching decoder.
  public static func makeDecoder() -> JSONDecoder {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return d
  }

  /// The JSON text of this file.
  public func encoded() throws -> Data { try Self.makeEncoder().encode(self) }

  /// Reads records from JSON data: either this file's shape or a bare array of records.
  public static func decode(_ data: Data) throws -> BenchmarkRecordFile {
    let decoder = makeDecoder()
    if let file = try? decoder.decode(BenchmarkRecordFile.self, from: data) { return file }
    return BenchmarkRecordFile(
      meta: nil, records: try decoder.decode([BenchmarkRecord].self, from: data))
  }
}

/// JSON text with the record conventions (see ``BenchmarkRecordFile/makeEncoder()``).
enum JSONEncoderSupport {
  /// `value` as pretty-printed JSON with sorted keys.
  static func string<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try BenchmarkRecordFile.makeEncoder().encode(value), as: UTF8.self)
  }
}
