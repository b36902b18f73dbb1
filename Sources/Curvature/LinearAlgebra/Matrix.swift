/// A dense row-major matrix of `Double` values with value semantics (copy-on-write storage).
///
/// Element (i, j) lives at `storage[i * columns + j]`. Products, factorizations and rank updates
/// are in the files `Matrix+*.swift` and the factorization types.
public struct Matrix: Sendable, Hashable, CustomStringConvertible {
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int
  /// The elements in row-major order.
  public var storage: [Double]

  /// A `rows` × `columns` matrix filled with `value`.
  @inlinable
  public init(rows: Int, columns: Int, repeating value: Double = 0) {
    precondition(rows >= 0 && columns >= 0, "matrix shape must be non-negative: \(rows)x\(columns)")
    self.rows = rows
    self.columns = columns
    storage = Array(repeating: value, count: rows * columns)
  }

  /// A matrix from row-major storage.
  @inlinable
  public init(rows: Int, columns: Int, storage: [Double]) {
    precondition(
      storage.count == rows * columns,
      "dimension mismatch: storage has \(storage.count) elements, shape \(rows)x\(columns) needs \(rows * columns)"
    )
    self.rows = rows
    self.columns = columns
    self.storage = storage
  }

  /// A matrix whose element (i, j) is `body(i, j)`.
  @inlinable
  public init(rows: Int, columns: Int, _ body: (Int, Int) throws -> Double) rethrows {
    self.init(rows: rows, columns: columns)
    for i in 0..<rows {
      for j in 0..<columns { storage[i * columns + j] = try body(i, j) }
    }
  }

  /// A matrix from an array of rows (all of the same length).
  @inlinable
  public init(_ rowArrays: [[Double]]) {
    let r = rowArrays.count
    let c = rowArrays.first?.count ?? 0
    for row in rowArrays {
      precondition(row.count == c, "dimension mismatch: row lengths \(c) and \(row.count)")
    }
    self.init(rows: r, columns: c, storage: rowArrays.flatMap { $0 })
  }

  /// The n × n identity.
  @inlinable
  public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.storage[i * n + i] = 1 }
    return m
  }

  /// A square matrix with `diagonal` on its diagonal.
  @inlinable
  public static func diagonal(_ diagonal: Vector) -> Matrix {
    let n = diagonal.count
    var m = Matrix(rows: n, columns: n)
    for i in 0..<n { m.storage[i * n + i] = diagonal[i] }
    return m
  }

  /// Whether the matrix is square.
  @inlinable
  public var isSquare: Bool { rows == columns }

  /// Element (i, j).
  @inlinable
  public subscript(i: Int, j: Int) -> Double {
    get { storage[i * columns + j] }
    set { storage[i * columns + j] = newValue }
  }

  /// Row `i` as a vector.
  @inlinable
  public func row(_ i: Int) -> Vector {
    Vector(storage[(i * columns)..<((i + 1) * columns)])
  }

  /// Column `j` as a vector.
  @inlinable
  public func column(_ j: Int) -> Vector {
    Vector(count: rows) { storage[$0 * columns + j] }
  }

  /// The diagonal as a vector.
  @inlinable
  public var diagonal: Vector {
    Vector(count: Swift.min(rows, columns)) { storage[$0 * columns + $0] }
  }

  /// The transpose.
  @inlinable
  public var transposed: Matrix {
    var t = Matrix(rows: columns, columns: rows)
    for i in 0..<rows {
      for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] }
    }
    return t
  }

  /// Whether every element is finite.
  @inlinable
  public var isFinite: Bool { storage.allSatisfy { $0.isFinite } }

  /// The Frobenius norm √(Σ aᵢⱼ²).
  @inlinable
  public var frobeniusNorm: Double { Vector(storage).norm }

  /// The largest absolute element.
  @inlinable
  public var maxAbs: Double { Vector(storage).normInfinity }

  /// Elementwise sum.
  @inlinable
  public static func + (a: Matrix, b: Matrix) -> Matrix {
    precondition(
      a.rows == b.rows && a.columns == b.columns,
      "dimension mismatch: \(a.rows)x\(a.columns) and \(b.rows)x\(b.columns)")
    return Matrix(rows: a.rows, columns: a.columns, storage: zip(a.storage, b.storage).map(+))
  }

  /// Elementwise difference.
  @inlinable
  public static func - (a: Matrix, b: Matrix) -> Matrix {
    precondition(
      a.rows == b.rows && a.columns == b.columns,
      "dimension mismatch: \(a.rows)x\(a.columns) and \(b.rows)x\(b.columns)")
    return Matrix(rows: a.rows, columns: a.columns, storage: zip(a.storage, b.storage).map(-))
  }

  /// Scaling by a number.
  @inlinable
  public static func * (s: Double, a: Matrix) -> Matrix {
    Matrix(rows: a.rows, columns: a.columns, storage: a.storage.map { s * $0 })
  }

  public var description: String {
    (0..<rows).map { i in
      "[" + (0..<columns).map { formatNumber(self[i, $0]) }.joined(separator: ", ") + "]"
    }.joined(separator: "\n")
  }
}

extension Matrix {
  /// y = A·x.
  @inlinable
  public static func * (a: Matrix, x: Vector) -> Vector {
    var y = Vector.zeros(a.rows)
    a.multiply(x, into: &y)
    return y
  }

  /// y ← A·x without allocating (y must have `rows` elements).
  @inlinable
  public func multiply(_ x: Vector, into y: inout Vector) {
    precondition(
      x.count == columns,
      "dimension mismatch: matrix has \(columns) columns, vector \(x.count) elements")
    precondition(
      y.count == rows, "dimension mismatch: matrix has \(rows) rows, output \(y.count) elements")
    let c = columns
    storage.withUnsafeBufferPointer { pa in
      x.withUnsafeBufferPointer { px in
        y.withUnsafeMutableBufferPointer { py in
          for i in 0..<rows {
            let row = UnsafeBufferPointer(rebasing: pa[(i * c)..<((i + 1) * c)])
            py[i] = dotKernel(row, px)
          }
        }
      }
    }
  }

  /// y = Aᵀ·x.
  @inlinable
  public func transposeMultiply(_ x: Vector) -> Vector {
    precondition(
      x.count == rows, "dimension mismatch: matrix has \(rows) rows, vector \(x.count) elements")
    var y = Vector.zeros(columns)
    let c = columns
    storage.withUnsafeBufferPointer { pa in
      y.withUnsafeMutableBufferPointer { py in
        for i in 0..<rows {
          let xi = x[i]
          if xi == 0 { continue }
          for j in 0..<c { py[j] += xi * pa[i * c + j] }
        }
      }
    }
    return y
  }
}
