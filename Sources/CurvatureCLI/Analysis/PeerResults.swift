import Foundation

/// One row of the peer harness's results (../shared/peers/run.py writes
/// `{"meta": {...}, "rows": [...]}` to results/NAME.json).
///
/// Rows with status `error` or `skipped` carry only the identification and a message, so the
/// figures are optional.
public struct PeerRecord: Sendable, Hashable, Codable {
  /// The problem name.
  public var problem: String
  /// The number of variables.
  public var n: Int
  /// The solver (`scipy_newton-cg`, `optax_lbfgs`, ...).
  public var solver: String
  /// `ran`, `timeout`, `error` or `skipped`.
  public var status: String
  /// ‖∇f(x_final)‖∞ ≤ 10⁻⁶, checked by the harness afterwards.
  public var success: Bool
  /// Iterations reported by the solver.
  public var iterations: Int?
  /// Value evaluations.
  public var nfev: Int?
  /// Gradient evaluations.
  public var ngev: Int?
  /// Hessian (or Hessian-vector product) evaluations.
  public var nhev: Int?
  /// The final value.
  public var f: Double?
  /// ‖∇f(x_final)‖∞.
  public var gnormInf: Double?
  /// The known optimum.
  public var fStar: Double?
  /// Which minimum was reached: `f*`, `local` or `other`.
  public var minimum: String?
  /// The median time of the timed runs, in seconds.
  public var timeSeconds: Double?
  /// The solver's message.
  public var message: String?

  enum CodingKeys: String, CodingKey {
    case problem, n, solver, status, success, iterations, nfev, ngev, nhev, f, minimum, message
    case gnormInf = "gnorm_inf"
    case fStar = "f_star"
    case timeSeconds = "time_s"
  }

  /// A record (for tests and fixtures).
  public init(
    problem: String, n: Int, solver: String, status: String = "ran", success: Bool,
    iterations: Int? = nil, nfev: Int? = nil, ngev: Int? = nil, nhev: Int? = nil,
    f: Double? = nil, gnormInf: Double? = nil, fStar: Double? = nil, minimum: String? = nil,
    timeSeconds: Double? = nil, message: String? = nil
  ) {
    self.problem = problem
    self.n = n
    self.solver = solver
    self.status = status
    self.success = success
    self.iterations = iterations
    self.nfev = nfev
    self.ngev = ngev
    self.nhev = nhev
    self.f = f
    self.gnormInf = gnormInf
    self.fStar = fStar
    self.minimum = minimum
    self.timeSeconds = timeSeconds
    self.message = message
  }

  /// Whether the row holds figures (the run happened, possibly hitting the time cap).
  public var ran: Bool { status == "ran" || status == "timeout" }
}

/// The peer harness's results file.
public struct PeerResults: Sendable {
  /// The harness metadata, as loose text (machine, versions, tolerances).
  public var meta: [String: String]
  /// The rows, in file order.
  public var records: [PeerRecord]

  /// Results from rows.
  public init(meta: [String: String] = [:], records: [PeerRecord]) {
    self.meta = meta
    self.records = records
  }

  /// Parses the JSON the harness writes. Python's `json` writes `NaN` and `Infinity` for
  /// non-finite floats; they are read as missing figures.
  public init(data: Data) throws {
    let clean = Data(
      PeerResults.replacingNonStandardNumbers(String(decoding: data, as: UTF8.self)).utf8)
    struct File: Decodable {
      var rows: [PeerRecord]
    }
    let file = try JSONDecoder().decode(File.self, from: clean)
    records = file.rows
    var meta: [String: String] = [:]
    if let object = try? JSONSerialization.jsonObject(with: clean) as? [String: Any],
      let m = object["meta"] as? [String: Any]
    {
      for (k, v) in m { meta[k] = "\(v)" }
    }
    self.meta = meta
  }

  /// Reads the file at `path`.
  public init(contentsOf path: String) throws {
    try self.init(data: Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// The solver names in order of first appearance.
  public var solvers: [String] {
    var seen: [String] = []
    for r in records where !seen.contains(r.solver) { seen.append(r.solver) }
    return seen
  }

  /// Replaces the bare tokens `NaN`, `Infinity` and `-Infinity` outside strings by `null`.
  static func replacingNonStandardNumbers(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var inString = false
    var escaped = false
    var i = text.startIndex
    while i < text.endIndex {
      let c = text[i]
      if inString {
        out.append(c)
        if escaped {
          escaped = false
        } else if c == "\\" {
          escaped = true
        } else if c == "\"" {
          inString = false
        }
        i = text.index(after: i)
        continue
      }
      if c == "\"" {
        inString = true
        out.append(c)
        i = text.index(after: i)
        continue
      }
      var matched = false
      for token in ["-Infinity", "Infinity", "NaN"] where text[i...].hasPrefix(token) {
        out += "null"
        i = text.index(i, offsetBy: token.count)
        matched = true
        break
      }
      if !matched {
        out.append(c)
        i = text.index(after: i)
      }
    }
    return out
  }
}
