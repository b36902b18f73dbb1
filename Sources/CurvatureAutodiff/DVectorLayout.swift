/// How the logical elements of a ``DVector`` are read from its buffer.
///
/// A vector is a *compact part* of `count` elements
///
///     eₖ = scale · (buffer[offset + stride·k] + shift),   k = 0..<count,
///
/// placed into a vector of `length` elements at positions `start + spacing·k` (zeros
/// elsewhere). A dense vector has offset 0, stride 1, scale 1, shift −0.0 (the exact additive
/// identity), start 0, spacing 1 and
/// length = count = buffer.count. The other forms let operations that only re-index or rescale
/// (gathers, slices, `scaled(by:)`, `adding(_:)`, negation, the pullbacks of gathers, sums and
/// norms) cost O(1) instead of a pass over fresh memory, like the strided views of NumPy
/// arrays (van der Walt, Colbert & Varoquaux, "The NumPy array: a structure for efficient
/// numerical computation", Computing in Science & Engineering 13(2), 2011). Embedded
/// cotangents of complementary gathers (even and odd elements) add in one interleaving pass.
@usableFromInline
struct DVectorLayout: Sendable, Equatable {
  /// Index of e₀ in the buffer.
  @usableFromInline var offset: Int
  /// Buffer step between consecutive compact elements (0 repeats one element).
  @usableFromInline var stride: Int
  /// Number of compact elements.
  @usableFromInline var count: Int
  /// Factor applied to every compact element.
  @usableFromInline var scale: Double
  /// Constant added to every buffer element before scaling.
  @usableFromInline var shift: Double
  /// Logical position of e₀.
  @usableFromInline var start: Int
  /// Logical step between consecutive compact elements.
  @usableFromInline var spacing: Int
  /// Logical number of elements.
  @usableFromInline var length: Int

  /// The dense layout of `count` contiguous elements.
  @inlinable
  init(dense count: Int) {
    offset = 0
    stride = 1
    self.count = count
    scale = 1
    shift = -0.0
    start = 0
    spacing = 1
    length = count
  }

  /// Whether some logical elements are implicit zeros outside the compact part.
  @inlinable
  var isEmbedded: Bool { !(start == 0 && spacing == 1 && length == count) }

  /// Whether compact elements are read as is (no scale, no shift) from consecutive slots.
  @inlinable
  var isContiguous: Bool { stride == 1 && scale == 1 && shift == 0 }
}
