#if canImport(_Differentiation)
  import _Differentiation
  import Synchronization

  /// The two terms of a lazy elementwise sum S = T₁ + T₂ (two plain, non-embedded vectors of
  /// equal length), written out at most once.
  ///
  /// Reverse-mode accumulation adds the cotangents of a value used several times (Griewank &
  /// Walther, *Evaluating Derivatives*, 2nd ed., SIAM 2008, section 3.3); when the sum's only
  /// reader is a scatter (the embedding of a gather's pullback) followed by the interleave of
  /// complementary embeddings, or the final write-out of the gradient, that reader can add the
  /// two terms in its own loop and the sum never needs a buffer of its own, in the spirit of
  /// loop fusion of array expressions (expression templates: Veldhuizen, "Expression
  /// templates", C++ Report 7(5), 1995).
  ///
  /// Every other kernel reads ``elements()``: the sum is computed once, on the first such
  /// read, and shared by every view of it (copies, scalings, strided views, embeddings). A
  /// kernel that reads the terms directly does so only for the *first* read of a sum; later
  /// readers get the written-out sum. A sum read k times therefore costs at most two extra
  /// reads of its terms over writing it out eagerly, and never more writes.
  ///
  /// The same deferral serves the interleave of complementary gather cotangents (the even and
  /// odd embeddings that make up the cotangent of x from x.evenIndexed() and x.oddIndexed()):
  /// the input cotangent of a dual reverse pass holds the gradient in its value part and the
  /// Hessian-vector product in its tangent part, and a caller that asks only for the product
  /// never writes the gradient out (``init(interleaving:_:length:evenSign:oddSign:)``).
  @usableFromInline
  final class LazySum: Sendable {
    /// T₁ (not lazy, not embedded), or the even operand of an interleave.
    @usableFromInline let first: DVector
    /// T₂ (not lazy, not embedded, as many elements as T₁), or the odd operand.
    @usableFromInline let second: DVector
    /// The signs (σₑ, σₒ) of an interleave; `nil` for a sum.
    @usableFromInline let interleaveSigns: InterleaveSigns?
    /// The number of elements of S.
    @usableFromInline let count: Int
    /// How often the terms were read directly, and S once written out.
    private let state = Mutex(LazySumState())

    /// Creates T₁ + T₂; both must be plain (not lazy), not embedded and of equal length.
    @usableFromInline
    init(_ first: DVector, _ second: DVector) {
      precondition(
        first.lazySum == nil && second.lazySum == nil && !first.layout.isEmbedded
          && !second.layout.isEmbedded,
        "internal: the terms of a lazy sum must be plain vectors")
      precondition(
        first.count == second.count && first.count > 0,
        "dimension mismatch: vector sizes \(first.count) and \(second.count)")
      self.first = first
      self.second = second
      interleaveSigns = nil
      count = first.layout.count
    }

    /// Creates the deferred interleave S₂ₖ = σₑ·evenₖ, S₂ₖ₊₁ = σₒ·oddₖ of the compact parts of
    /// two complementary embeddings of length n (see ``interleaveReading(_:_:length:evenSign:oddSign:)``;
    /// either operand may itself be lazy). Every read writes S out once; nothing reads the
    /// operands term by term.
    @usableFromInline
    init(
      interleaving even: DVector, _ odd: DVector, length n: Int, evenSign: Double, oddSign: Double
    ) {
      precondition(
        n > 0 && even.layout.count == (n + 1) / 2 && odd.layout.count == n / 2,
        "internal: interleave of \(even.layout.count) and \(odd.layout.count) elements into \(n)")
      first = even
      second = odd
      interleaveSigns = InterleaveSigns(even: evenSign, odd: oddSign)
      count = n
    }

    /// S written out (computed on the first call, then shared).
    @usableFromInline
    func elements() -> [Double] {
      state.withLock { s in
        if let e = s.elements { return e }
        let e = writtenOut()
        s.elements = e
        return e
      }
    }

    /// `nil` when the caller may read the two terms in its own loop (the first such read of
    /// a sum); S written out otherwise (always for an interleave).
    @usableFromInline
    func elementsUnlessFirstRead() -> [Double]? {
      state.withLock { s in
        if let e = s.elements { return e }
        if s.fusedReads == 0 && interleaveSigns == nil {
          s.fusedReads = 1
          return nil
        }
        let e = writtenOut()
        s.elements = e
        return e
      }
    }

    /// Whether S has been written out (by a read that could not fuse the terms).
    @usableFromInline
    var isWrittenOut: Bool { state.withLock { s in s.elements != nil } }

    /// One pass that computes S.
    private func writtenOut() -> [Double] {
      guard let signs = interleaveSigns else {
        return mapCompact(first, second) { $0 + $1 }.buffer
      }
      return interleaveReading(
        first, second, length: count, evenSign: signs.even, oddSign: signs.odd)
    }
  }

  /// The signs of a deferred interleave (±1 from a linear rule such as + or −).
  @usableFromInline
  struct InterleaveSigns: Sendable {
    /// σₑ, applied to the even operand.
    @usableFromInline let even: Double
    /// σₒ, applied to the odd operand.
    @usableFromInline let odd: Double

    @usableFromInline
    init(even: Double, odd: Double) {
      self.even = even
      self.odd = odd
    }
  }

  /// The mutable part of a ``LazySum``.
  @usableFromInline
  struct LazySumState: Sendable {
    /// How many kernels read the terms directly (at most 1).
    var fusedReads = 0
    /// S, once written out.
    var elements: [Double]?
  }

  /// How a kernel that can add the two terms of a lazy sum in its own loop reads a lazy
  /// vector: either the written-out sum (a plain vector) or the two terms, re-indexed like
  /// the vector, with element k = scale·((T₁ₖ + T₂ₖ) + shift).
  @usableFromInline
  enum LazyRead {
    /// A plain vector with the same compact elements.
    case resolved(DVector)
    /// The terms (plain, not embedded, `count` compact elements each) and the outer scale
    /// and shift.
    case terms(DVector, DVector, scale: Double, shift: Double)
  }

  extension DVector {
    /// The interleave of two complementary embeddings (even at 0, 2, …; odd at 1, 3, …) of
    /// length n, written out only when first read (see ``LazySum``).
    @inlinable
    init(
      interleaving even: DVector, _ odd: DVector, length n: Int, evenSign: Double, oddSign: Double
    ) {
      self.init(
        lazySum: LazySum(interleaving: even, odd, length: n, evenSign: evenSign, oddSign: oddSign))
    }

    /// A vector that reads the lazy sum S through a dense layout.
    @inlinable
    init(lazySum: LazySum) {
      self.init(buffer: [], layout: DVectorLayout(dense: lazySum.count))
      self.lazySum = lazySum
    }

    /// lhs + rhs as a lazy sum, when both are plain (not lazy), not embedded, of equal
    /// length and, unless `allowDense`, at least one is a view (so that a sum of two arrays,
    /// the usual forward `x + y`, is written out eagerly as before); `nil` otherwise.
    @inlinable
    static func lazySum(_ lhs: DVector, _ rhs: DVector, allowDense: Bool = false) -> DVector? {
      if lhs.lazySum != nil || rhs.lazySum != nil || lhs.isEmpty || rhs.isEmpty
        || lhs.layout.isEmbedded || rhs.layout.isEmbedded
      {
        return nil
      }
      if !allowDense && lhs.isDense && rhs.isDense { return nil }
      precondition(
        lhs.count == rhs.count, "dimension mismatch: vector sizes \(lhs.count) and \(rhs.count)")
      return DVector(lazySum: LazySum(lhs, rhs))
    }

    /// The same logical elements without a lazy sum: S written out once (shared by every
    /// view of the same sum) and read through this vector's layout. Plain vectors are
    /// returned unchanged.
    @inlinable
    var resolved: DVector {
      guard let s = lazySum else { return self }
      return DVector(buffer: s.elements(), layout: layout)
    }

    /// How a fusing kernel reads the compact elements of this lazy vector (see ``LazyRead``);
    /// only for vectors with a lazy sum.
    @inlinable
    func lazyRead() -> LazyRead {
      let s = lazySum!
      if let e = s.elementsUnlessFirstRead() {
        return .resolved(DVector(buffer: e, layout: layout))
      }
      let form = layout
      func term(_ t: DVector) -> DVector {
        var c = t
        c.layout.offset = t.layout.offset + t.layout.stride * form.offset
        c.layout.stride = t.layout.stride * form.stride
        c.layout.count = form.count
        c.layout.length = form.count
        return c
      }
      return .terms(term(s.first), term(s.second), scale: form.scale, shift: form.shift)
    }
  }

  extension DVector {
    /// The logical elements of a lazy vector written out: S itself when read densely (and
    /// then kept for later readers), otherwise one loop over the terms (or over S when it is
    /// already written out) that applies the layout and the embedding.
    @usableFromInline
    func materializedLazyElements() -> [Double] {
      let s = lazySum!
      let form = layout
      if form.offset == 0 && form.stride == 1 && form.scale == 1 && form.shift == 0
        && !form.isEmbedded && form.count == s.count
      {
        return s.elements()
      }
      let length = form.length
      return [Double](unsafeUninitializedCapacity: length) { out, written in
        let d = out.baseAddress!
        if form.isEmbedded { d.initialize(repeating: 0, count: length) }
        withSumReader(self) { a in
          withUnsafeTemporaryAllocation(of: Double.self, capacity: lazyBlock) { block in
            let e = block.baseAddress!
            var start = 0
            while start < form.count {
              let m = Swift.min(lazyBlock, form.count - start)
              a.fill(e, from: start, count: m)
              let t = d + form.start + form.spacing * start
              if form.spacing == 1 {
                for k in 0..<m { (t + k).initialize(to: e[k]) }
              } else {
                for k in 0..<m { (t + form.spacing * k).initialize(to: e[k]) }
              }
              start += m
            }
          }
        }
        written = length
      }
    }
  }

  /// Reads the compact elements of a plain or lazy vector: element k is first.at(k) for a
  /// plain vector (its own scale and shift inside the reader, so exactly the stored
  /// element), and scale·((T₁ₖ + T₂ₖ) + shift) for the two terms of a lazy sum.
  @usableFromInline
  struct SumReader {
    @usableFromInline let first: CompactReader
    @usableFromInline let second: CompactReader?
    @usableFromInline let scale: Double
    @usableFromInline let shift: Double

    @inlinable @inline(__always)
    init(_ first: CompactReader, _ second: CompactReader?, scale: Double, shift: Double) {
      self.first = first
      self.second = second
      self.scale = scale
      self.shift = shift
    }

    /// Writes elements start..<start + count into `out` (loops with constant steps for the
    /// common steps 1 and 2, so that they vectorize; `out` is a small block that stays in
    /// the first-level cache).
    @inlinable @inline(__always)
    func fill(_ out: UnsafeMutablePointer<Double>, from start: Int, count: Int) {
      // The readers rebased to `start`, so that the loops index from 0 like the other
      // kernels (and vectorize the same way).
      let a = first
      let pa = a.base + a.stride * start
      let sa = a.scale
      let ha = a.shift
      guard let b = second else {
        withStride(a.stride) { s in
          for k in 0..<count { out[k] = sa * (pa[s * k] + ha) }
        }
        return
      }
      let pb = b.base + b.stride * start
      let sb = b.scale
      let hb = b.shift
      let scale = self.scale
      let shift = self.shift
      withStride(a.stride) { s in
        withStride(b.stride) { t in
          for k in 0..<count {
            out[k] = scale * ((sa * (pa[s * k] + ha) + sb * (pb[t * k] + hb)) + shift)
          }
        }
      }
    }
  }

  /// The number of elements per block of the blocked loops over lazy sums (4 KiB).
  @usableFromInline let lazyBlock = 512

  /// Calls `body` with a ``SumReader`` of the compact elements of a non-empty vector, plain
  /// or lazy (the terms of a lazy sum are read directly on its first fused read).
  @inlinable @inline(__always)
  func withSumReader<R>(_ x: DVector, _ body: (SumReader) -> R) -> R {
    if x.lazySum == nil {
      return withReader(x) { a in body(SumReader(a, nil, scale: 1, shift: -0.0)) }
    }
    switch x.lazyRead() {
    case .resolved(let r):
      return withReader(r) { a in body(SumReader(a, nil, scale: 1, shift: -0.0)) }
    case .terms(let t1, let t2, let scale, let shift):
      return withReader(t1) { a in
        withReader(t2) { b in body(SumReader(a, b, scale: scale, shift: shift)) }
      }
    }
  }

  /// The n elements of the interleave of two embedded vectors (compact parts `even` at 0, 2,
  /// 4, … and `odd` at 1, 3, 5, …, n = even.count + odd.count with even.count = ⌈n/2⌉),
  /// with out[2k] = σₑ·evenₖ and out[2k + 1] = σₒ·oddₖ (σ = ±1 from a linear rule such as + or
  /// −), reading plain or lazy
  /// operands block by block (the blocks stay in cache, so the output is written once).
  @inlinable
  func interleaveReading(
    _ even: DVector, _ odd: DVector, length n: Int, evenSign: Double, oddSign: Double
  ) -> [Double] {
    let evenCount = (n + 1) / 2
    let oddCount = n / 2
    return [Double](unsafeUninitializedCapacity: n) { out, written in
      let d = out.baseAddress!
      withSumReader(even) { a in
        withSumReader(odd) { b in
          withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * lazyBlock) { block in
            let e = block.baseAddress!
            let o = e + lazyBlock
            var start = 0
            while start < evenCount {
              let m = Swift.min(lazyBlock, evenCount - start)
              let pairs = Swift.min(m, oddCount - start)
              a.fill(e, from: start, count: m)
              b.fill(o, from: start, count: pairs)
              let t = d + 2 * start
              for k in 0..<pairs {
                (t + 2 * k).initialize(to: evenSign * e[k])
                (t + 2 * k + 1).initialize(to: oddSign * o[k])
              }
              if pairs < m { (t + 2 * pairs).initialize(to: evenSign * e[pairs]) }
              start += m
            }
          }
        }
      }
      written = n
    }
  }
#endif
