import Dispatch

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// The packed matrix product C += α·op(A)·op(B) in the structure of Goto & van de Geijn ("Anatomy
// of high-performance matrix multiplication", ACM TOMS 34(3), 2008) and of BLIS (Van Zee & van de
// Geijn, ACM TOMS 41(3), 2015):
//
//   for each block of `columnBlock` columns of C (the nc loop)
//     for each block of `depthBlock` values of k (the kc loop): pack op(B)[kc × nc] into panels
//       of `tileColumns` columns, each panel stored k by k (contiguous, read once per A block)
//       for each block of `rowBlock` rows of C (the mc loop): pack α·op(A)[mc × kc] into panels
//         of `tileRows` rows, each element stored twice (a broadcast pair), k by k
//         for each B panel, for each A panel: the micro-kernel adds the tileRows × tileColumns
//         tile Σₖ a·b (kc multiply-adds per element, accumulated in registers) to C.
//
// The packed A block (mc·kc pairs, 384 KB) stays in the L2 cache, one B panel (kc·nr values,
// 8 KB) in L1, and the micro-kernel's 12 accumulators in registers. Packing copies O(mk + kn)
// elements for O(mnk) multiply-adds, and it absorbs every transpose and stride of A and B, so one
// micro-kernel serves AB, AᵀB, ABᵀ and AᵀBᵀ.
//
// The micro-kernel. The default build targets baseline x86-64, whose vector instructions are
// SSE2: two doubles per register, sixteen registers, separate multiply and add (no fused
// multiply-add; `addingProduct` would become a call to libm's `fma`). The 6 × 4 tile keeps its 24
// sums in 12 registers, two for the B row of the current k and one temporary; every A element is
// packed as a pair so that its broadcast is one aligned load, folded by the compiler into the
// multiply. Each k then costs 12 multiplies, 12 adds and 8 loads for 48 flops.
//
// Determinism. Every element of C is formed the same way whatever the blocking of rows and
// columns and whatever the thread count: a sum over each k block in increasing k, added to C in
// increasing block order. Only `depthBlock` shapes the rounding, so the threaded product is
// bit-identical to the serial one.
//
// Buffers. Each thread keeps its two packing buffers (at most 4 MB for B and 384 KB for A) from
// one product to the next (`PackingWorkspace`), so a factorization that calls the kernel many
// times does not map, fault in and zero fresh pages on every call.
//
// Threads. Products of at least `threadedProductFlops` flops split the rows of C into contiguous
// parts at multiples of the tile height, one per thread (`DispatchQueue.concurrentPerform`); each
// part packs its own operands. Triangular updates split by area.

/// A strided read-only view of a matrix operand: element (i, j) is `base[i * rowStride + j *
/// columnStride]`, which describes a row-major matrix (strides `columns`, 1), its transpose
/// (1, `columns`) and any submatrix of either, without copying.
@usableFromInline
struct StridedMatrix: @unchecked Sendable {
  /// The address of element (0, 0).
  @usableFromInline let base: UnsafePointer<Double>
  /// The distance between rows.
  @usableFromInline let rowStride: Int
  /// The distance between columns.
  @usableFromInline let columnStride: Int

  @usableFromInline
  init(_ base: UnsafePointer<Double>, rowStride: Int, columnStride: Int) {
    self.base = base
    self.rowStride = rowStride
    self.columnStride = columnStride
  }

  /// Element (i, j).
  @inline(__always)
  func element(_ i: Int, _ j: Int) -> Double { base[i * rowStride + j * columnStride] }
}

/// The output of a packed product: row-major with a row stride, shared by the threads of one
/// product, each writing only its own rows.
struct ProductOutput: @unchecked Sendable {
  /// The address of element (0, 0).
  let base: UnsafeMutablePointer<Double>
  /// The distance between rows.
  let rowStride: Int
}

/// The packed, register-blocked matrix product (see the comment at the top of the file).
enum PackedProduct {
  typealias Pair = SIMD2<Double>

  /// Rows of the micro-kernel's tile (mr).
  static let tileRows = 6
  /// Columns of the micro-kernel's tile (nr).
  static let tileColumns = 4
  /// The k block (kc): the length of every micro-kernel sum between two additions into C.
  static let depthBlock = 256
  /// The row block (mc) of the packed A, a multiple of ``tileRows``.
  static let rowBlock = 96
  /// The column block (nc) of the packed B, a multiple of ``tileColumns``.
  static let columnBlock = 2048
  /// Products of fewer flops (2mnk) run on one thread.
  static let threadedProductFlops = 4_000_000
  /// Products with fewer multiply-adds than this skip packing (see ``smallProduct``).
  static let packedProductMinimum = 4096

  /// The number of threads a large product uses: the processors online, or the value of the
  /// environment variable `CURVATURE_DENSE_THREADS` when it is a positive integer (read once).
  static let threadCount: Int = {
    if let text = getenv("CURVATURE_DENSE_THREADS"), let value = Int(String(cString: text)),
      value > 0
    {
      return value
    }
    return Swift.max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }()

  /// C[i, j] += α Σₖ op(A)[i, k]·op(B)[k, j] for i < m, j < n, k < depth; with `triangle`, only the
  /// entries with j ≥ i (upper) or j ≤ i (lower) of C are touched.
  ///
  /// `threads` caps the number of threads (the default is ``threadCount``); the result does not
  /// depend on it, bit for bit.
  static func multiply(
    m: Int, n: Int, depth: Int, alpha: Double, a: StridedMatrix, b: StridedMatrix,
    c: UnsafeMutablePointer<Double>, cRowStride: Int, triangle: ProductTriangle = .full,
    threads: Int = threadCount
  ) {
    if m <= 0 || n <= 0 || depth <= 0 || alpha == 0 { return }
    let out = ProductOutput(base: c, rowStride: cRowStride)
    if m * n * depth < packedProductMinimum {
      smallProduct(
        rows: 0..<m, n: n, depth: depth, alpha: alpha, a: a, b: b, c: out, triangle: triangle)
      return
    }
    let flops = 2.0 * Double(m) * Double(n) * Double(depth)
    let parts = flops < Double(threadedProductFlops) ? 1 : Swift.min(threads, m / tileRows)
    if parts <= 1 {
      serial(rows: 0..<m, n: n, depth: depth, alpha: alpha, a: a, b: b, c: out, triangle: triangle)
      return
    }
    let bounds = rowSplit(m: m, n: n, parts: parts, triangle: triangle)
    DispatchQueue.concurrentPerform(iterations: parts) { part in
      let rows = bounds[part]..<bounds[part + 1]
      if rows.isEmpty { return }
      serial(rows: rows, n: n, depth: depth, alpha: alpha, a: a, b: b, c: out, triangle: triangle)
    }
  }

  /// Row boundaries 0 = r₀ ≤ r₁ ≤ … ≤ r_parts = m at multiples of ``tileRows`` that give each part
  /// about the same number of entries of C (rows of equal length for a full product; for a lower
  /// triangle row i has i + 1 entries, for an upper one n − i).
  static func rowSplit(m: Int, n: Int, parts: Int, triangle: ProductTriangle) -> [Int] {
    func entriesBefore(_ r: Double) -> Double {
      let nd = Double(n)
      switch triangle {
      case .full: return r * nd
      case .lower:
        // Σᵢ₌₀^{r−1} min(i + 1, n).
        let k = Swift.min(r, nd)
        return k * (k + 1) / 2 + Swift.max(0, r - nd) * nd
      case .upper:
        // Σᵢ₌₀^{r−1} max(n − i, 0).
        let k = Swift.min(r, nd)
        return k * nd - k * (k - 1) / 2
      }
    }
    let total = entriesBefore(Double(m))
    var bounds = [0]
    for part in 1..<parts {
      let target = total * Double(part) / Double(parts)
      // Bisection on the row count for the target share.
      var lo = 0.0
      var hi = Double(m)
      for _ in 0..<60 {
        let mid = (lo + hi) / 2
        if entriesBefore(mid) < target { lo = mid } else { hi = mid }
      }
      let rounded = Int((hi / Double(tileRows)).rounded()) * tileRows
      bounds.append(Swift.min(m, Swift.max(bounds.last!, rounded)))
    }
    bounds.append(m)
    return bounds
  }

  /// The unpacked product for small sizes: for each entry of C, one dot product over k.
  static func smallProduct(
    rows: Range<Int>, n: Int, depth: Int, alpha: Double, a: StridedMatrix, b: StridedMatrix,
    c: ProductOutput, triangle: ProductTriangle
  ) {
    for i in rows {
      let (j0, j1) = columnRange(row: i, n: n, triangle: triangle)
      if j0 >= j1 { continue }
      let ci = c.base + i * c.rowStride
      for j in j0..<j1 {
        var s = 0.0
        for k in 0..<depth { s += a.element(i, k) * b.element(k, j) }
        ci[j] += alpha * s
      }
    }
  }

  /// The columns j of row i that `triangle` lets the product touch.
  @inline(__always)
  static func columnRange(row i: Int, n: Int, triangle: ProductTriangle) -> (Int, Int) {
    switch triangle {
    case .full: (0, n)
    case .upper: (Swift.min(i, n), n)
    case .lower: (0, Swift.min(i + 1, n))
    }
  }

  /// The packed product on the rows `rows` of C, on the calling thread.
  static func serial(
    rows: Range<Int>, n: Int, depth: Int, alpha: Double, a: StridedMatrix, b: StridedMatrix,
    c: ProductOutput, triangle: ProductTriangle
  ) {
    // The columns these rows touch.
    let firstColumn = triangle == .upper ? Swift.min(rows.lowerBound, n) : 0
    let endColumn = triangle == .lower ? Swift.min(rows.upperBound, n) : n
    if firstColumn >= endColumn { return }
    let kcMax = Swift.min(depthBlock, depth)
    let ncMax = Swift.min(columnBlock, roundUp(endColumn - firstColumn, tileColumns))
    let mcMax = Swift.min(rowBlock, roundUp(rows.count, tileRows))
    let workspace = PackingWorkspace.current
    let packedB = workspace.buffer(
      .b, bytes: kcMax * ncMax * MemoryLayout<Double>.stride
    ).bindMemory(to: Double.self, capacity: kcMax * ncMax)
    let packedA = workspace.buffer(
      .a, bytes: mcMax * kcMax * MemoryLayout<Pair>.stride
    ).bindMemory(to: Pair.self, capacity: mcMax * kcMax)
    var jc = firstColumn
    while jc < endColumn {
      let nc = Swift.min(columnBlock, endColumn - jc)
      var pc = 0
      while pc < depth {
        let kc = Swift.min(depthBlock, depth - pc)
        packB(b, k0: pc, kc: kc, j0: jc, nc: nc, into: packedB)
        var ic = rows.lowerBound
        while ic < rows.upperBound {
          let mc = Swift.min(rowBlock, rows.upperBound - ic)
          // A row block that no column of this column block may touch is skipped whole.
          let skip =
            (triangle == .lower && jc > ic + mc - 1) || (triangle == .upper && jc + nc - 1 < ic)
          if !skip {
            packA(a, alpha: alpha, i0: ic, mc: mc, k0: pc, kc: kc, into: packedA)
            macroKernel(
              i0: ic, mc: mc, j0: jc, nc: nc, kc: kc, packedA: packedA, packedB: packedB, c: c,
              triangle: triangle)
          }
          ic += mc
        }
        pc += kc
      }
      jc += nc
    }
  }

  /// x rounded up to a multiple of `step`.
  @inline(__always)
  static func roundUp(_ x: Int, _ step: Int) -> Int { (x + step - 1) / step * step }

  /// Packs op(B)[k₀..<k₀+kc, j₀..<j₀+nc] into panels of ``tileColumns`` columns: panel p holds, k
  /// by k, the values B[k, j₀ + 4p ..< j₀ + 4p + 4], zero-padded past column j₀ + nc.
  static func packB(
    _ b: StridedMatrix, k0: Int, kc: Int, j0: Int, nc: Int, into out: UnsafeMutablePointer<Double>
  ) {
    let nr = tileColumns
    var panel = 0
    var j = 0
    while j < nc {
      let width = Swift.min(nr, nc - j)
      let dst = out + panel * kc * nr
      if width == nr && b.columnStride == 1 {
        for k in 0..<kc {
          let src = b.base + (k0 + k) * b.rowStride + j0 + j
          let d = dst + k * nr
          d[0] = src[0]
          d[1] = src[1]
          d[2] = src[2]
          d[3] = src[3]
        }
      } else if width == nr {
        for k in 0..<kc {
          let d = dst + k * nr
          for q in 0..<nr { d[q] = b.element(k0 + k, j0 + j + q) }
        }
      } else {
        for k in 0..<kc {
          let d = dst + k * nr
          for q in 0..<nr { d[q] = q < width ? b.element(k0 + k, j0 + j + q) : 0 }
        }
      }
      panel += 1
      j += nr
    }
  }

  /// Packs α·op(A)[i₀..<i₀+mc, k₀..<k₀+kc] into panels of ``tileRows`` rows: panel p holds, k by
  /// k, the pairs (v, v) of v = α·A[i₀ + 6p + r, k] for r = 0..<6, zero past row i₀ + mc.
  static func packA(
    _ a: StridedMatrix, alpha: Double, i0: Int, mc: Int, k0: Int, kc: Int,
    into out: UnsafeMutablePointer<Pair>
  ) {
    let mr = tileRows
    var panel = 0
    var i = 0
    while i < mc {
      let height = Swift.min(mr, mc - i)
      let dst = out + panel * kc * mr
      if height == mr {
        let r0 = a.base + (i0 + i) * a.rowStride + k0 * a.columnStride
        let rs = a.rowStride
        let cs = a.columnStride
        for k in 0..<kc {
          let s = r0 + k * cs
          let d = dst + k * mr
          d[0] = Pair(repeating: alpha * s[0])
          d[1] = Pair(repeating: alpha * s[rs])
          d[2] = Pair(repeating: alpha * s[2 * rs])
          d[3] = Pair(repeating: alpha * s[3 * rs])
          d[4] = Pair(repeating: alpha * s[4 * rs])
          d[5] = Pair(repeating: alpha * s[5 * rs])
        }
      } else {
        for k in 0..<kc {
          let d = dst + k * mr
          for r in 0..<mr {
            d[r] = Pair(repeating: r < height ? alpha * a.element(i0 + i + r, k0 + k) : 0)
          }
        }
      }
      panel += 1
      i += mr
    }
  }

  /// Every tile of one packed A block against every panel of one packed B block.
  static func macroKernel(
    i0: Int, mc: Int, j0: Int, nc: Int, kc: Int, packedA: UnsafePointer<Pair>,
    packedB: UnsafePointer<Double>, c: ProductOutput, triangle: ProductTriangle
  ) {
    let mr = tileRows
    let nr = tileColumns
    // An edge or diagonal tile is formed here and then added entry by entry.
    var scratch = (
      Pair(), Pair(), Pair(), Pair(), Pair(), Pair(), Pair(), Pair(), Pair(), Pair(), Pair(),
      Pair()
    )
    withUnsafeMutableBytes(of: &scratch) { raw in
      let tile = raw.baseAddress!.assumingMemoryBound(to: Double.self)
      var jr = 0
      while jr < nc {
        let width = Swift.min(nr, nc - jr)
        let bPanel = UnsafeRawPointer(packedB + (jr / nr) * kc * nr).assumingMemoryBound(
          to: Pair.self)
        let cj = j0 + jr
        var ir = 0
        while ir < mc {
          let height = Swift.min(mr, mc - ir)
          let ci = i0 + ir
          let aPanel = packedA + (ir / mr) * kc * mr
          // Where the tile sits against the triangle: entirely outside, entirely inside, or cut.
          var inside = true
          switch triangle {
          case .full: break
          case .lower:
            if cj > ci + height - 1 {
              ir += mr
              continue
            }
            inside = cj + width - 1 <= ci
          case .upper:
            if cj + width - 1 < ci {
              ir += mr
              continue
            }
            inside = cj >= ci + height - 1
          }
          let target = c.base + ci * c.rowStride + cj
          if inside && height == mr && width == nr {
            microKernel(kc: kc, a: aPanel, b: bPanel, c: target, cRowStride: c.rowStride)
          } else {
            for t in 0..<(mr * nr) { tile[t] = 0 }
            microKernel(kc: kc, a: aPanel, b: bPanel, c: tile, cRowStride: nr)
            for r in 0..<height {
              let (lo, hi) = columnRange(row: ci + r, n: cj + width, triangle: triangle)
              let from = Swift.max(lo, cj)
              if from >= hi { continue }
              let row = target + r * c.rowStride
              for q in (from - cj)..<(hi - cj) { row[q] += tile[r * nr + q] }
            }
          }
          ir += mr
        }
        jr += nr
      }
    }
  }

  /// C[0..<6, 0..<4] += Σₖ a[k]·b[k] over the kc values of one A panel (pairs, 6 per k) and one B
  /// panel (4 values per k), with C row-major at `cRowStride`.
  @inline(__always)
  static func microKernel(
    kc: Int, a: UnsafePointer<Pair>, b: UnsafePointer<Pair>, c: UnsafeMutablePointer<Double>,
    cRowStride: Int
  ) {
    var c00 = Pair()
    var c01 = Pair()
    var c10 = Pair()
    var c11 = Pair()
    var c20 = Pair()
    var c21 = Pair()
    var c30 = Pair()
    var c31 = Pair()
    var c40 = Pair()
    var c41 = Pair()
    var c50 = Pair()
    var c51 = Pair()
    var pa = a
    var pb = b
    for _ in 0..<kc {
      let b0 = pb[0]
      let b1 = pb[1]
      c00 += b0 * pa[0]
      c01 += b1 * pa[0]
      c10 += b0 * pa[1]
      c11 += b1 * pa[1]
      c20 += b0 * pa[2]
      c21 += b1 * pa[2]
      c30 += b0 * pa[3]
      c31 += b1 * pa[3]
      c40 += b0 * pa[4]
      c41 += b1 * pa[4]
      c50 += b0 * pa[5]
      c51 += b1 * pa[5]
      pa += 6
      pb += 2
    }
    addRow(c, c00, c01)
    addRow(c + cRowStride, c10, c11)
    addRow(c + 2 * cRowStride, c20, c21)
    addRow(c + 3 * cRowStride, c30, c31)
    addRow(c + 4 * cRowStride, c40, c41)
    addRow(c + 5 * cRowStride, c50, c51)
  }

  /// c[0..<4] += (x, y), with unaligned loads and stores.
  @inline(__always)
  static func addRow(_ c: UnsafeMutablePointer<Double>, _ x: Pair, _ y: Pair) {
    let raw = UnsafeMutableRawPointer(c)
    raw.storeBytes(of: raw.loadUnaligned(as: Pair.self) + x, as: Pair.self)
    (raw + 16).storeBytes(of: (raw + 16).loadUnaligned(as: Pair.self) + y, as: Pair.self)
  }
}
