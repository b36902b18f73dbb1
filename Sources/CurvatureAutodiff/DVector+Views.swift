#if canImport(_Differentiation)
  import _Differentiation

  // Re-indexing and rescaling views of a DVector (see DVectorLayout) and the elementwise
  // kernels that read them. Every kernel has a fast loop for contiguous, unscaled operands and
  // a general loop that applies strides, shifts and scales on the fly.

  extension DVector {
    /// The same logical elements with no implicit zeros: `self` unless embedded, otherwise
    /// the elements written out densely.
    @inlinable
    var unembedded: DVector { layout.isEmbedded ? DVector(materializedElements()) : self }

    /// Whether every element is known to be zero without a pass over them: a non-empty
    /// broadcast (stride 0) of one zero, the form `DVector(repeating: 0, count:)` gives the
    /// tangent of a constant. False when unsure.
    @inlinable
    var isKnownZero: Bool {
      guard lazySum == nil, layout.stride == 0, layout.count > 0, !buffer.isEmpty else {
        return false
      }
      return layout.scale * (buffer[layout.offset] + layout.shift) == 0
    }

    /// The compact part of an embedded vector (its stored elements without the zeros around
    /// them); `self` otherwise.
    @inlinable
    var compactPart: DVector {
      var c = self
      c.layout.start = 0
      c.layout.spacing = 1
      c.layout.length = c.layout.count
      return c
    }

    /// This vector's elements placed at `start + spacing·k` of a zero vector of `length`
    /// elements, without copying (the adjoint of a strided gather). Empty stays empty.
    @inlinable
    func embedded(start: Int, spacing: Int, length: Int) -> DVector {
      if isEmpty { return .zero }
      var c = unembedded
      precondition(
        start >= 0 && spacing >= 1 && start + spacing * (c.count - 1) < length,
        "embedding \(c.count) elements from \(start) by \(spacing) exceeds length \(length)")
      c.layout.start = start
      c.layout.spacing = spacing
      c.layout.length = length
      return c
    }

    /// The `count` elements at `start + step·k`, k = 0..<count, without copying.
    @inlinable
    func stridedView(from start: Int, by step: Int, count m: Int) -> DVector {
      precondition(
        m == 0 || (start >= 0 && step >= 1 && start + step * (m - 1) < count),
        "strided view of \(m) elements from \(start) by \(step) exceeds vector size \(count)")
      if m == 0 { return .zero }
      var c = unembedded
      c.layout.offset += c.layout.stride * start
      c.layout.stride *= step
      c.layout.count = m
      c.layout.length = m
      return c
    }
  }

  /// Reads compact element k as scale·(base[stride·k] + shift). A plain vector has scale 1
  /// and shift −0.0 (the exact additive identity, which keeps the sign of −0), so the reader
  /// returns its elements unchanged.
  @usableFromInline
  struct CompactReader {
    @usableFromInline let base: UnsafePointer<Double>
    @usableFromInline let stride: Int
    @usableFromInline let scale: Double
    @usableFromInline let shift: Double

    @inlinable @inline(__always)
    init(_ base: UnsafePointer<Double>, _ layout: DVectorLayout) {
      self.base = base + layout.offset
      stride = layout.stride
      scale = layout.scale
      shift = layout.shift
    }

    /// Element k read with a step `s` equal to ``stride`` (passed as a constant by
    /// ``withStride(_:_:)`` so that the loop vectorizes).
    @inlinable @inline(__always)
    func at(_ k: Int, _ s: Int) -> Double { scale * (base[s * k] + shift) }
  }

  /// Calls `body` with `s` as a literal for the common steps 1 and 2, so that each inlined
  /// copy of the loop in `body` sees a constant step and vectorizes.
  @inlinable @inline(__always)
  func withStride<R>(_ s: Int, _ body: (Int) -> R) -> R {
    if s == 1 { return body(1) }
    if s == 2 { return body(2) }
    return body(s)
  }

  /// Calls `body` with a reader of the compact elements of a non-empty plain vector. A lazy
  /// sum (see ``LazySum``) has no elements in its buffer: kernels resolve it first or read
  /// it with ``withSumReader(_:_:)``, and reading it here is a programming error.
  @inlinable @inline(__always)
  func withReader<R>(_ x: DVector, _ body: (CompactReader) -> R) -> R {
    precondition(x.lazySum == nil, "internal: a lazy sum must be resolved before it is read")
    return x.buffer.withUnsafeBufferPointer { p in body(CompactReader(p.baseAddress!, x.layout)) }
  }

  /// [body(xₖ)] over the compact elements of x (x must not be embedded); empty gives empty.
  /// A lazy x is read term by term on its first read (see ``LazySum``).
  @inlinable @inline(__always)
  func mapCompact(_ x: DVector, _ body: (Double) -> Double) -> DVector {
    let n = x.layout.count
    if n == 0 { return .zero }
    var x = x
    if x.lazySum != nil {
      switch x.lazyRead() {
      case .resolved(let r): x = r
      case .terms(let t1, let t2, let scale, let shift):
        return mapCompact(t1, t2) { a, b in body(scale * ((a + b) + shift)) }
      }
    }
    return DVector(
      [Double](unsafeUninitializedCapacity: n) { out, written in
        let d = out.baseAddress!
        withReader(x) { a in
          withStride(a.stride) { sa in
            for i in 0..<n { (d + i).initialize(to: body(a.at(i, sa))) }
          }
        }
        written = n
      })
  }

  /// [body(xₖ, yₖ)] over the compact elements of two non-embedded vectors of equal size. A
  /// lazy x (usually the cotangent in a pullback) is read term by term on its first read; a
  /// lazy y is resolved (see ``LazySum``).
  @inlinable @inline(__always)
  func mapCompact(
    _ x: DVector, _ y: DVector, _ body: (Double, Double) -> Double
  ) -> DVector {
    let n = x.layout.count
    precondition(n == y.layout.count, "dimension mismatch: vector sizes \(n) and \(y.count)")
    if n == 0 { return .zero }
    var x = x
    let y = y.resolved
    if x.lazySum != nil {
      switch x.lazyRead() {
      case .resolved(let r): x = r
      case .terms(let t1, let t2, let scale, let shift):
        return mapCompact(t1, t2, y) { a, b, c in body(scale * ((a + b) + shift), c) }
      }
    }
    return DVector(
      [Double](unsafeUninitializedCapacity: n) { out, written in
        let d = out.baseAddress!
        withReader(x) { a in
          withReader(y) { b in
            withStride(a.stride) { sa in
              withStride(b.stride) { sb in
                for i in 0..<n { (d + i).initialize(to: body(a.at(i, sa), b.at(i, sb))) }
              }
            }
          }
        }
        written = n
      })
  }

  /// [body(xₖ, yₖ, zₖ)] over the compact elements of three non-embedded vectors of equal
  /// size (the loop has a constant step when all three share step 1 or 2).
  @inlinable @inline(__always)
  func mapCompact(
    _ x: DVector, _ y: DVector, _ z: DVector, _ body: (Double, Double, Double) -> Double
  ) -> DVector {
    let n = x.layout.count
    precondition(
      n == y.layout.count && n == z.layout.count,
      "dimension mismatch: vector sizes \(n), \(y.count) and \(z.count)")
    if n == 0 { return .zero }
    let x = x.resolved
    let y = y.resolved
    let z = z.resolved
    let common = x.layout.stride == y.layout.stride && x.layout.stride == z.layout.stride
    return DVector(
      [Double](unsafeUninitializedCapacity: n) { out, written in
        let d = out.baseAddress!
        withReader(x) { a in
          withReader(y) { b in
            withReader(z) { c in
              if common {
                withStride(a.stride) { s in
                  for i in 0..<n {
                    (d + i).initialize(to: body(a.at(i, s), b.at(i, s), c.at(i, s)))
                  }
                }
              } else {
                for i in 0..<n {
                  (d + i).initialize(
                    to: body(a.at(i, a.stride), b.at(i, b.stride), c.at(i, c.stride)))
                }
              }
            }
          }
        }
        written = n
      })
  }

  /// [body(wₖ, xₖ, yₖ, zₖ)] over the compact elements of four non-embedded vectors of equal
  /// size (the loop has constant steps when w and x share a step of 1 or 2, and y and z too).
  @inlinable @inline(__always)
  func mapCompact(
    _ w: DVector, _ x: DVector, _ y: DVector, _ z: DVector,
    _ body: (Double, Double, Double, Double) -> Double
  ) -> DVector {
    let n = w.layout.count
    precondition(
      n == x.layout.count && n == y.layout.count && n == z.layout.count,
      "dimension mismatch: vector sizes \(n), \(x.count), \(y.count) and \(z.count)")
    if n == 0 { return .zero }
    let w = w.resolved
    let x = x.resolved
    let y = y.resolved
    let z = z.resolved
    // Paired operands (a value and its tangent) usually share a step.
    let paired = w.layout.stride == x.layout.stride && y.layout.stride == z.layout.stride
    return DVector(
      [Double](unsafeUninitializedCapacity: n) { out, written in
        let d = out.baseAddress!
        withReader(w) { a in
          withReader(x) { b in
            withReader(y) { c in
              withReader(z) { e in
                if paired {
                  withStride(a.stride) { s in
                    withStride(c.stride) { t in
                      for i in 0..<n {
                        (d + i).initialize(
                          to: body(a.at(i, s), b.at(i, s), c.at(i, t), e.at(i, t)))
                      }
                    }
                  }
                } else {
                  for i in 0..<n {
                    (d + i).initialize(
                      to: body(
                        a.at(i, a.stride), b.at(i, b.stride), c.at(i, c.stride),
                        e.at(i, e.stride)))
                  }
                }
              }
            }
          }
        }
        written = n
      })
  }

  /// Two outputs from one pass over four non-embedded vectors of equal size:
  /// [first(wₖ, xₖ, yₖ, zₖ)] and [second(wₖ, xₖ, yₖ, zₖ)] (the value and tangent parts of a
  /// dual operation, which read the same operands).
  @inlinable @inline(__always)
  func mapCompactPair(
    _ w: DVector, _ x: DVector, _ y: DVector, _ z: DVector,
    _ first: (Double, Double, Double, Double) -> Double,
    _ second: (Double, Double, Double, Double) -> Double
  ) -> (DVector, DVector) {
    let n = w.layout.count
    precondition(
      n == x.layout.count && n == y.layout.count && n == z.layout.count,
      "dimension mismatch: vector sizes \(n), \(x.count), \(y.count) and \(z.count)")
    if n == 0 { return (.zero, .zero) }
    let w = w.resolved
    let x = x.resolved
    let y = y.resolved
    let z = z.resolved
    let paired = w.layout.stride == x.layout.stride && y.layout.stride == z.layout.stride
    var out2 = [Double]()
    let out1 = [Double](unsafeUninitializedCapacity: n) { out, written in
      out2 = [Double](unsafeUninitializedCapacity: n) { outB, writtenB in
        let d = out.baseAddress!
        let f = outB.baseAddress!
        withReader(w) { a in
          withReader(x) { b in
            withReader(y) { c in
              withReader(z) { e in
                if paired {
                  withStride(a.stride) { s in
                    withStride(c.stride) { t in
                      for i in 0..<n {
                        let p = a.at(i, s)
                        let q = b.at(i, s)
                        let r = c.at(i, t)
                        let u = e.at(i, t)
                        (d + i).initialize(to: first(p, q, r, u))
                        (f + i).initialize(to: second(p, q, r, u))
                      }
                    }
                  }
                } else {
                  for i in 0..<n {
                    let p = a.at(i, a.stride)
                    let q = b.at(i, b.stride)
                    let r = c.at(i, c.stride)
                    let u = e.at(i, e.stride)
                    (d + i).initialize(to: first(p, q, r, u))
                    (f + i).initialize(to: second(p, q, r, u))
                  }
                }
              }
            }
          }
        }
        writtenB = n
      }
      written = n
    }
    return (DVector(out1), DVector(out2))
  }

  /// Σₖ body(xₖ) over the compact elements of x with four accumulators (0 when empty). A
  /// lazy x is read term by term on its first read (see ``LazySum``).
  @inlinable @inline(__always)
  func sumCompact(_ x: DVector, _ body: (Double) -> Double) -> Double {
    let n = x.layout.count
    if n == 0 { return 0 }
    var x = x
    if x.lazySum != nil {
      switch x.lazyRead() {
      case .resolved(let r): x = r
      case .terms(let t1, let t2, let scale, let shift):
        return sumCompact(t1, t2) { a, b in body(scale * ((a + b) + shift)) }
      }
    }
    return withReader(x) { a in
      withStride(a.stride) { sa in fourLaneSum(n) { i in body(a.at(i, sa)) } }
    }
  }

  /// Σₖ body(xₖ, yₖ) over the compact elements of two vectors of equal compact size.
  @inlinable @inline(__always)
  func sumCompact(_ x: DVector, _ y: DVector, _ body: (Double, Double) -> Double) -> Double {
    let n = x.layout.count
    precondition(n == y.layout.count, "dimension mismatch: vector sizes \(n) and \(y.count)")
    if n == 0 { return 0 }
    let x = x.resolved
    let y = y.resolved
    return withReader(x) { a in
      withReader(y) { b in
        withStride(a.stride) { sa in
          withStride(b.stride) { sb in fourLaneSum(n) { i in body(a.at(i, sa), b.at(i, sb)) } }
        }
      }
    }
  }

  /// (Σₖ first(xₖ, yₖ), Σₖ second(xₖ, yₖ)) in one pass over two vectors of equal compact size
  /// (the value and tangent parts of a dual reduction, which read the same operands).
  @inlinable @inline(__always)
  func sumCompactPair(
    _ x: DVector, _ y: DVector, _ first: (Double, Double) -> Double,
    _ second: (Double, Double) -> Double
  ) -> (Double, Double) {
    let n = x.layout.count
    precondition(n == y.layout.count, "dimension mismatch: vector sizes \(n) and \(y.count)")
    if n == 0 { return (0, 0) }
    let x = x.resolved
    let y = y.resolved
    return withReader(x) { a in
      withReader(y) { b in
        withStride(a.stride) { sa in
          withStride(b.stride) { sb in
            var f0 = 0.0
            var f1 = 0.0
            var g0 = 0.0
            var g1 = 0.0
            var i = 0
            while i + 2 <= n {
              let p0 = a.at(i, sa)
              let q0 = b.at(i, sb)
              let p1 = a.at(i + 1, sa)
              let q1 = b.at(i + 1, sb)
              f0 += first(p0, q0)
              g0 += second(p0, q0)
              f1 += first(p1, q1)
              g1 += second(p1, q1)
              i += 2
            }
            if i < n {
              let p0 = a.at(i, sa)
              let q0 = b.at(i, sb)
              f0 += first(p0, q0)
              g0 += second(p0, q0)
            }
            return (f0 + f1, g0 + g1)
          }
        }
      }
    }
  }

  /// lhs ∘ rhs elementwise for a linear rule (`op(0, 0) = 0`) such as + or −, on non-empty
  /// vectors of equal length. Embedded operands with the same embedding combine their compact
  /// parts and keep it; the even and odd embeddings of one length interleave in one pass
  /// (the cotangent of x from x.evenIndexed() and x.oddIndexed()); other embedded operands
  /// are written out first.
  @inlinable @inline(__always)
  func combineLinear(_ lhs: DVector, _ rhs: DVector, _ op: (Double, Double) -> Double)
    -> DVector
  {
    let l = lhs.layout
    let r = rhs.layout
    precondition(
      l.length == r.length, "dimension mismatch: vector sizes \(l.length) and \(r.length)")
    if !l.isEmbedded && !r.isEmbedded { return mapCompact(lhs, rhs, op) }
    if l.isEmbedded && r.isEmbedded {
      if l.start == r.start && l.spacing == r.spacing && l.count == r.count {
        var sum = mapCompact(lhs.compactPart, rhs.compactPart, op)
        sum.layout.start = l.start
        sum.layout.spacing = l.spacing
        sum.layout.length = l.length
        return sum
      }
      let n = l.length
      if l.spacing == 2 && r.spacing == 2 && l.start + r.start == 1
        && l.count + r.count == n && (l.start == 0 ? l.count : r.count) == (n + 1) / 2
      {
        if lhs.lazySum != nil || rhs.lazySum != nil {
          // A lazy cotangent sum is added in the interleaving loop itself.
          let left = op(1, 0)
          let right = op(0, 1)
          if l.start == 0 {
            return DVector(
              interleaveReading(lhs, rhs, length: n, evenSign: left, oddSign: right))
          }
          return DVector(
            interleaveReading(rhs, lhs, length: n, evenSign: right, oddSign: left))
        }
        return DVector(
          [Double](unsafeUninitializedCapacity: n) { out, written in
            let d = out.baseAddress!
            withReader(lhs) { a in
              withReader(rhs) { b in
                let pairs = n / 2
                withStride(a.stride) { sa in
                  withStride(b.stride) { sb in
                    if l.start == 0 {
                      for k in 0..<pairs {
                        d[2 * k] = op(a.at(k, sa), 0)
                        d[2 * k + 1] = op(0, b.at(k, sb))
                      }
                      if n % 2 == 1 { d[n - 1] = op(a.at(pairs, sa), 0) }
                    } else {
                      for k in 0..<pairs {
                        d[2 * k] = op(0, b.at(k, sb))
                        d[2 * k + 1] = op(a.at(k, sa), 0)
                      }
                      if n % 2 == 1 { d[n - 1] = op(0, b.at(pairs, sb)) }
                    }
                  }
                }
              }
            }
            written = n
          })
      }
    }
    return mapCompact(lhs.unembedded, rhs.unembedded, op)
  }
#endif
