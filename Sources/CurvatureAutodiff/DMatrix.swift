#if canImport(_Differentiation)
  import _Differentiation
  import Curvature

  /// A dense row-major matrix of `Double` that reverse-mode automatic differentiation can
  /// differentiate through, for model layers such as y = tanh(W·x + b).
  ///
  /// Like ``DVector`` it is its own tangent type, and the empty matrix (0 × 0, empty storage)
  /// stands for the zero matrix of any shape; every operation and pullback accepts it.
  /// Products register their pullbacks (Griewank & Walther, *Evaluating Derivatives*, 2nd ed.,
  /// SIAM 2008, chapter 3): for C = A·B, Ā = C̄·Bᵀ and B̄ = Aᵀ·C̄.
  ///
  /// ```swift
  /// let layer: @differentiable(reverse) (DMatrix, DVector) -> DVector = { w, x in (w * x).tanh() }
  /// ```
  public struct DMatrix: Differentiable, AdditiveArithmetic, Sendable, CustomStringConvertible {
    /// The number of rows (0 for the shapeless zero matrix).
    @noDerivative public let rows: Int
    /// The number of columns (0 for the shapeless zero matrix).
    @noDerivative public let columns: Int
    /// The elements in row-major order.
    public var storage: [Double]

    /// `DMatrix` is its own tangent space.
    public typealias TangentVector = DMatrix

    /// Creates a `rows × columns` matrix from row-major elements.
    @inlinable
    public init(rows: Int, columns: Int, storage: [Double]) {
      precondition(
        rows >= 0 && columns >= 0 && storage.count == rows * columns,
        "dimension mismatch: storage has \(storage.count) elements for \(rows) × \(columns)")
      self.rows = rows
      self.columns = columns
      self.storage = storage
    }

    /// Creates a differentiable matrix from a Curvature `Matrix`.
    @inlinable
    public init(_ matrix: Matrix) {
      self.init(rows: matrix.rows, columns: matrix.columns, storage: matrix.storage)
    }

    /// The elements as a Curvature `Matrix`.
    @inlinable
    public var matrix: Matrix { Matrix(rows: rows, columns: columns, storage: storage) }

    /// Whether this is the shapeless zero matrix.
    @inlinable
    public var isEmpty: Bool { storage.isEmpty }

    /// The shapeless zero matrix.
    @inlinable
    public static var zero: DMatrix { DMatrix(rows: 0, columns: 0, storage: []) }

    /// Moves along a tangent: A ← A + offset.
    @inlinable
    public mutating func move(by offset: DMatrix) { self = self + offset }

    /// Equality, where an empty matrix equals a zero matrix of any shape.
    public static func == (lhs: DMatrix, rhs: DMatrix) -> Bool {
      if lhs.isEmpty { return rhs.storage.allSatisfy { $0 == 0 } }
      if rhs.isEmpty { return lhs.storage.allSatisfy { $0 == 0 } }
      return lhs.rows == rhs.rows && lhs.columns == rhs.columns && lhs.storage == rhs.storage
    }

    /// The matrix, formatted like a Curvature `Matrix`.
    public var description: String { matrix.description }

    private static func checkSameShape(_ a: DMatrix, _ b: DMatrix) {
      precondition(
        a.rows == b.rows && a.columns == b.columns,
        "dimension mismatch: matrices \(a.rows) × \(a.columns) and \(b.rows) × \(b.columns)")
    }

    /// Elementwise A + B; an empty operand is zero.
    @differentiable(reverse)
    public static func + (lhs: DMatrix, rhs: DMatrix) -> DMatrix {
      if lhs.isEmpty { return rhs }
      if rhs.isEmpty { return lhs }
      checkSameShape(lhs, rhs)
      return DMatrix(
        rows: lhs.rows, columns: lhs.columns,
        storage: mapElements(lhs.storage, rhs.storage) { $0 + $1 })
    }

    @usableFromInline
    @derivative(of: +)
    static func _vjpAdd(lhs: DMatrix, rhs: DMatrix)
      -> (value: DMatrix, pullback: (DMatrix) -> (DMatrix, DMatrix))
    {
      (lhs + rhs, { v in (v, v) })
    }

    /// Elementwise A − B; an empty operand is zero.
    @differentiable(reverse)
    public static func - (lhs: DMatrix, rhs: DMatrix) -> DMatrix {
      if rhs.isEmpty { return lhs }
      if lhs.isEmpty {
        return DMatrix(
          rows: rhs.rows, columns: rhs.columns, storage: mapElements(rhs.storage) { -$0 })
      }
      checkSameShape(lhs, rhs)
      return DMatrix(
        rows: lhs.rows, columns: lhs.columns,
        storage: mapElements(lhs.storage, rhs.storage) { $0 - $1 })
    }

    @usableFromInline
    @derivative(of: -)
    static func _vjpSubtract(lhs: DMatrix, rhs: DMatrix)
      -> (value: DMatrix, pullback: (DMatrix) -> (DMatrix, DMatrix))
    {
      (lhs - rhs, { v in (v, .zero - v) })
    }

    /// Reshapes a vector of rows·columns elements (row-major) into a matrix, e.g. to unpack a
    /// weight matrix from a flat parameter vector.
    @differentiable(reverse)
    public init(reshaping vector: DVector, rows: Int, columns: Int) {
      if vector.isEmpty {
        self = DMatrix(
          rows: rows, columns: columns, storage: .init(repeating: 0, count: rows * columns))
      } else {
        self = DMatrix(rows: rows, columns: columns, storage: vector.storage)
      }
    }

    @usableFromInline
    @derivative(of: init(reshaping:rows:columns:))
    static func _vjpReshaping(_ vector: DVector, rows: Int, columns: Int)
      -> (value: DMatrix, pullback: (DMatrix) -> DVector)
    {
      (DMatrix(reshaping: vector, rows: rows, columns: columns), { v in DVector(v.storage) })
    }

    /// The elements as a vector, row-major.
    @differentiable(reverse)
    public func flattened() -> DVector { DVector(storage) }

    @usableFromInline
    @derivative(of: flattened)
    func _vjpFlattened() -> (value: DVector, pullback: (DVector) -> DMatrix) {
      let (r, c) = (rows, columns)
      return (
        flattened(),
        { v in v.isEmpty ? .zero : DMatrix(rows: r, columns: c, storage: v.storage) }
      )
    }

    /// Aᵀ.
    @differentiable(reverse)
    public func transposed() -> DMatrix {
      DMatrix(
        rows: columns, columns: rows,
        storage: transposeKernel(storage, rows: rows, columns: columns))
    }

    @usableFromInline
    @derivative(of: transposed)
    func _vjpTransposed() -> (value: DMatrix, pullback: (DMatrix) -> DMatrix) {
      (transposed(), { v in v.isEmpty ? .zero : v.transposed() })
    }

    /// A·x.
    @differentiable(reverse)
    public static func * (lhs: DMatrix, rhs: DVector) -> DVector {
      if lhs.isEmpty || rhs.isEmpty { return DVector(repeating: 0, count: lhs.rows) }
      return DVector(
        matrixVectorKernel(lhs.storage, rows: lhs.rows, columns: lhs.columns, rhs.storage))
    }

    /// Pullback of y = A·x: ȳ ↦ (ȳ xᵀ, Aᵀȳ).
    @usableFromInline
    @derivative(of: *)
    static func _vjpMatrixVector(lhs: DMatrix, rhs: DVector)
      -> (value: DVector, pullback: (DVector) -> (DMatrix, DVector))
    {
      (
        lhs * rhs,
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let ga =
            rhs.isEmpty
            ? DMatrix.zero
            : DMatrix(
              rows: lhs.rows, columns: lhs.columns,
              storage: outerProductKernel(v.storage, rhs.storage))
          let gx =
            lhs.isEmpty
            ? DVector.zero
            : DVector(
              transposeMatrixVectorKernel(
                lhs.storage, rows: lhs.rows, columns: lhs.columns, v.storage))
          return (ga, gx)
        }
      )
    }

    /// A·B.
    @differentiable(reverse)
    public static func * (lhs: DMatrix, rhs: DMatrix) -> DMatrix {
      if lhs.isEmpty || rhs.isEmpty { return .zero }
      precondition(
        lhs.columns == rhs.rows,
        "dimension mismatch: left has \(lhs.columns) columns, right \(rhs.rows) rows")
      return DMatrix(
        rows: lhs.rows, columns: rhs.columns,
        storage: matrixMultiplyKernel(
          lhs.storage, rhs.storage, m: lhs.rows, k: lhs.columns, n: rhs.columns))
    }

    /// Pullback of C = A·B: C̄ ↦ (C̄·Bᵀ, Aᵀ·C̄).
    @usableFromInline
    @derivative(of: *)
    static func _vjpMatrixMatrix(lhs: DMatrix, rhs: DMatrix)
      -> (value: DMatrix, pullback: (DMatrix) -> (DMatrix, DMatrix))
    {
      (
        lhs * rhs,
        { v in
          if v.isEmpty { return (.zero, .zero) }
          return (v * rhs.transposed(), lhs.transposed() * v)
        }
      )
    }

    /// A + b·1ᵀ: adds the column vector b (length rows) to every column, as a bias.
    @differentiable(reverse)
    public func addingToEachColumn(_ b: DVector) -> DMatrix {
      if b.isEmpty { return self }
      precondition(b.count == rows, "dimension mismatch: matrix has \(rows) rows, bias \(b.count)")
      var out = storage
      let c = columns
      out.withUnsafeMutableBufferPointer { p in
        b.storage.withUnsafeBufferPointer { q in
          guard let d = p.baseAddress, let s = q.baseAddress else { return }
          for i in 0..<rows {
            for j in 0..<c { d[i * c + j] += s[i] }
          }
        }
      }
      return DMatrix(rows: rows, columns: columns, storage: out)
    }

    /// Pullback of A + b·1ᵀ: V̄ ↦ (V̄, V̄·1) (row sums).
    @usableFromInline
    @derivative(of: addingToEachColumn)
    func _vjpAddingToEachColumn(_ b: DVector)
      -> (value: DMatrix, pullback: (DMatrix) -> (DMatrix, DVector))
    {
      (
        addingToEachColumn(b),
        { v in
          if v.isEmpty { return (.zero, .zero) }
          let c = v.columns
          let sums = v.storage.withUnsafeBufferPointer { p in
            (0..<v.rows).map { i in
              fourLaneSum(c) { j in p[i * c + j] }
            }
          }
          return (v, DVector(sums))
        }
      )
    }

    /// Elementwise tanh, through the vector operation (its pullback comes with it).
    @differentiable(reverse)
    public func tanh() -> DMatrix {
      DMatrix(reshaping: flattened().tanh(), rows: rows, columns: columns)
    }
  }
#endif
