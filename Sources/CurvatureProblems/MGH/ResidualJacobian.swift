import Curvature

/// A dense m × n Jacobian Jᵢⱼ = ∂rᵢ/∂xⱼ in row-major order, over any ``ScalarMath``, filled by the
/// Moré-Garbow-Hillstrom definitions (entries start at zero, so sparse rows set only their
/// non-zeros).
struct ResidualJacobian<T: ScalarMath> {
  /// m.
  let rows: Int
  /// n.
  let columns: Int
  /// The entries, row by row.
  var entries: [T]

  /// An m × n Jacobian of zeros.
  init(rows: Int, columns: Int) {
    self.rows = rows
    self.columns = columns
    entries = Array(repeating: T(0), count: rows * columns)
  }

  /// Jᵢⱼ (zero-based).
  subscript(i: Int, j: Int) -> T {
    get { entries[i * columns + j] }
    set { entries[i * columns + j] = newValue }
  }
}
