/// A read-only row-major matrix view of contiguous memory (a matrix block of a parameter
/// vector), valid only inside the closure that produced it.
public struct BlockMatrixView {
  /// The first element.
  public let base: UnsafePointer<Double>
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int

  /// Element (i, j) at base[i·columns + j].
  @inlinable
  public subscript(i: Int, j: Int) -> Double {
    precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) out of range")
    return base[i * columns + j]
  }

  /// A copy as a ``Matrix``.
  public func matrix() -> Matrix {
    Matrix(
      rows: rows, columns: columns,
      storage: Array(UnsafeBufferPointer(start: base, count: rows * columns)))
  }
}

/// A mutable row-major matrix view of contiguous memory, valid only inside the closure that
/// produced it.
public struct MutableBlockMatrixView {
  /// The first element.
  public let base: UnsafeMutablePointer<Double>
  /// The number of rows.
  public let rows: Int
  /// The number of columns.
  public let columns: Int

  /// Element (i, j) at base[i·columns + j].
  @inlinable
  public subscript(i: Int, j: Int) -> Double {
    get {
      precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) out of range")
      return base[i * columns + j]
    }
    nonmutating set {
      precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) out of range")
      base[i * columns + j] = newValue
    }
  }
}

extension Vector {
  /// Calls `body` with the block's elements viewed as a rows × columns matrix (a vector block
  /// is a column), without copying.
  ///
  /// - Precondition: the block lies inside the vector.
  public func withMatrixView<R>(of block: ParameterBlock, _ body: (BlockMatrixView) throws -> R)
    rethrows -> R
  {
    precondition(
      block.offset >= 0 && block.range.upperBound <= count,
      "block \(block.name) out of range of a vector of \(count)")
    let (r, c) = block.matrixShape
    return try withUnsafeBufferPointer { p in
      guard let base = p.baseAddress else {
        var empty = 0.0
        return try withUnsafePointer(to: &empty) {
          try body(BlockMatrixView(base: $0, rows: r, columns: c))
        }
      }
      return try body(BlockMatrixView(base: base + block.offset, rows: r, columns: c))
    }
  }

  /// Calls `body` with the block's elements viewed as a mutable matrix, without copying.
  ///
  /// - Precondition: the block lies inside the vector.
  public mutating func withMutableMatrixView<R>(
    of block: ParameterBlock, _ body: (MutableBlockMatrixView) throws -> R
  ) rethrows -> R {
    precondition(
      block.offset >= 0 && block.range.upperBound <= count,
      "block \(block.name) out of range of a vector of \(count)")
    let (r, c) = block.matrixShape
    return try withUnsafeMutableBufferPointer { p in
      guard let base = p.baseAddress else {
        var empty = 0.0
        return try withUnsafeMutablePointer(to: &empty) {
          try body(MutableBlockMatrixView(base: $0, rows: r, columns: c))
        }
      }
      return try body(MutableBlockMatrixView(base: base + block.offset, rows: r, columns: c))
    }
  }

  /// The block's elements (a copy).
  public func elements(of block: ParameterBlock) -> Vector {
    Vector(storage[block.range])
  }

  /// Writes `values` into the block's elements.
  ///
  /// - Precondition: `values.count == block.count`.
  public mutating func setElements(of block: ParameterBlock, to values: Vector) {
    precondition(
      values.count == block.count,
      "dimension mismatch: block \(block.name) has \(block.count) elements, got \(values.count)")
    storage.replaceSubrange(block.range, with: values.storage)
  }
}
