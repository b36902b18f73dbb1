/// The memory of L-BFGS in the "vector-free" form of Chen, Wang, Zhou & Tsang ("Large-scale
/// L-BFGS using MapReduce", NIPS 2014), which moves about 4m + 4 vector words per element and
/// iteration instead of the 10m + 6 of the classic two-loop recursion (``LBFGSHistory``).
///
/// The direction pₖ = −Hₖgₖ lies in the span of the base vectors {sᵢ, yᵢ, gₖ}. The history keeps
/// their inner products (the Gram matrix) and runs the two-loop recursion (Nocedal & Wright,
/// Algorithm 7.4) on coefficient vectors c, where q = Σⱼ cⱼbⱼ and sᵢᵀq = Σⱼ cⱼ(sᵢᵀbⱼ); this costs
/// O(m²) scalars. Two blocked passes over the stored vectors remain per iteration:
///
/// - ``computeDirection()``: d = Σⱼ δⱼbⱼ written into a free direction slot, with dᵀgₖ (the
///   slope) and dᵀd summed from the blocks in cache; the other products of the new Gram row
///   follow from the coefficients, dᵀbⱼ = Σᵢ δᵢ bᵢᵀbⱼ;
/// - ``push(step:derivative:threshold:)``: yₖ = gₖ₊₁ − gₖ written into a free difference slot,
///   with gₖ₊₁ᵀv for every stored vector v, gₖ₊₁ᵀyₖ and yₖᵀyₖ summed in the same pass; then
///   yₖᵀv = gₖ₊₁ᵀv − gₖᵀv from the previous gradient's row. These products carry errors of the
///   order ε‖g‖‖v‖, as does the classic recursion's rounded vector yₖ.
///
/// The step sₖ = αₖdₖ is never written: the direction slot searched along becomes the step's slot,
/// with the scalar αₖ kept beside it. The line search writes gₖ₊₁ into the trial-gradient slot
/// (taken out with ``takeTrialGradient()``), which ``push(step:derivative:threshold:)`` or
/// ``adoptTrialGradient()`` turns into the current gradient by swapping. Nothing is allocated
/// after initialization.
///
/// In exact arithmetic the directions equal those of ``LBFGSHistory``: with the same pairs,
/// ρᵢ = 1/(yᵢᵀsᵢ) and H₀ = γI, γ = sᵀy/yᵀy of the newest pair. The inner products are summed in
/// blocks and partly derived from the Gram matrix, so the two differ by rounding (about 1e-15
/// relative on the random histories of the tests).
///
/// With ``parallel`` the two passes run on two threads (see `forBothHalves(parallel:_:)`); their
/// blocks are split at a point fixed by n and the halves' sums added in a fixed order, so the
/// iterates are bit-identical with and without threads.
///
/// The stored directions and differences are of type `S`: `Double`, or `Float` for half the
/// memory and half the bytes each pass reads. With `Float` the gradients stay in Double, all
/// arithmetic is in Double, and each stored vector is rounded once when written: the direction is
/// rounded and the search runs along the rounded direction (kept widened in ``direction``), so a
/// stored step sᵢ = αᵢdᵢ is exactly the step taken; yᵢ = gᵢ₊₁ − gᵢ is rounded, while its inner
/// products with the other vectors are those of the exact difference (from the gradients' rows).
/// The pairs are thus perturbed by about 6e-8 relative, far below what separates L-BFGS's
/// approximation from the Hessian, and every direction's slope is summed from the rounded
/// direction itself, so a non-descent direction is still caught.
struct LBFGSCompactHistory<S: BlockedPassScalar> {
  /// The capacity m.
  let capacity: Int
  /// The number of variables n.
  let dimension: Int
  /// Whether the blocked passes run on two threads.
  let parallel: Bool
  /// Direction slots 0...m and difference slots m+1...2m+1 (the vector indices of the Gram
  /// matrix; the current gradient is index 2m+2 and the trial gradient 2m+3).
  var stored: [[S]]
  /// The current gradient gₖ (vector index 2m+2).
  var currentGradient: Vector
  /// The trial-gradient workspace (vector index 2m+3).
  var trialGradient: Vector
  /// The last direction widened to Double, when `S` is not Double (else empty: the direction is
  /// its slot).
  var widenedDirection: Vector
  /// The inner products of vectors 0...2m+2 (row-major, K × K with K = 2m+3); an entry is
  /// meaningful when both vectors are live.
  var gram: [Double]
  /// Stored pairs in a ring, oldest at `head`: direction slot, difference slot, step αᵢ (so
  /// sᵢ = αᵢ·vectors[direction]) and ρᵢ = 1/(yᵢᵀsᵢ).
  var pairDirection: [Int]
  var pairDifference: [Int]
  var pairStep: [Double]
  var pairRho: [Double]
  var alpha: [Double]
  /// Coefficients of the two-loop recursion over vectors 0...2m+2.
  var coefficients: [Double]
  /// The slot of the last direction computed.
  private(set) var directionSlot: Int
  /// The oldest pair's ring position.
  var head = 0
  /// The number of stored pairs (≤ m).
  private(set) var count = 0
  /// γ = sᵀy/yᵀy of the newest pair; 1 when empty.
  private(set) var gamma = 1.0
  /// Whether each direction slot (0...m) holds a stored step or the current direction.
  var directionInUse: [Bool]
  /// Whether ``directionSlot`` holds a direction not yet stored as a step.
  var directionPending = false
  /// Whether each difference slot (0...m) holds a stored difference.
  var differenceInUse: [Bool]
  /// ‖gₖ‖∞ of the current gradient once ``push(step:derivative:threshold:)`` or
  /// ``adoptTrialGradient()`` has made it current (from the blocks of the pass); NaN before, and
  /// NaN when an element is NaN.
  private(set) var gradientNormInfinity = Double.nan

  /// An empty memory for m pairs of n-vectors whose current gradient is `gradient`; `parallel`
  /// runs the blocked passes on two threads.
  init(capacity: Int, gradient: Vector, parallel: Bool = false) {
    precondition(capacity > 0, "L-BFGS memory must be positive, got \(capacity)")
    let n = gradient.count
    self.capacity = capacity
    self.dimension = n
    self.parallel = parallel
    stored = (0..<(2 * capacity + 2)).map { _ in [S](repeating: 0, count: n) }
    currentGradient = Vector.zeros(n)
    currentGradient.assign(gradient)
    trialGradient = Vector.zeros(n)
    widenedDirection = S.self == Double.self ? Vector() : Vector.zeros(n)
    let k = 2 * capacity + 3
    gram = Array(repeating: 0, count: k * k)
    pairDirection = Array(repeating: 0, count: capacity)
    pairDifference = Array(repeating: 0, count: capacity)
    pairStep = Array(repeating: 0, count: capacity)
    pairRho = Array(repeating: 0, count: capacity)
    alpha = Array(repeating: 0, count: capacity)
    coefficients = Array(repeating: 0, count: k)
    directionInUse = Array(repeating: false, count: capacity + 1)
    differenceInUse = Array(repeating: false, count: capacity + 1)
    directionSlot = 0
  }

  /// The number of rows of the Gram matrix, 2m + 3.
  var gramSize: Int { 2 * capacity + 3 }
  /// The index of the current gradient gₖ.
  var gradientIndex: Int { 2 * capacity + 2 }
  /// The index of the trial-gradient workspace.
  var trialIndex: Int { 2 * capacity + 3 }
  /// The vector index of difference slot j.
  func differenceIndex(_ j: Int) -> Int { capacity + 1 + j }

  /// Whether no pair is stored.
  var isEmpty: Bool { count == 0 }

  /// The current gradient gₖ (a copy of the run's gradient).
  var gradient: Vector { currentGradient }

  /// The last direction computed by ``computeDirection()`` (rounded to `S`, in Double).
  var direction: Vector {
    if S.self == Double.self {
      return Vector(unsafeBitCast(stored[directionSlot], to: [Double].self))
    }
    return widenedDirection
  }

  /// Forgets every pair (the next direction is steepest descent).
  mutating func reset() {
    count = 0
    head = 0
    gamma = 1
    directionPending = false
    for j in 0...capacity {
      directionInUse[j] = false
      differenceInUse[j] = false
    }
  }

  /// The trial-gradient workspace, moved out (this history keeps an empty vector in its place);
  /// give it back with ``restoreTrialGradient(_:)`` before the next ``push(step:derivative:threshold:)``.
  mutating func takeTrialGradient() -> Vector {
    var v = Vector()
    swap(&v, &trialGradient)
    if v.count != dimension { v = .zeros(dimension) }
    return v
  }

  /// Puts the trial-gradient workspace back; `v` is left empty.
  mutating func restoreTrialGradient(_ v: inout Vector) {
    checkSameCount(v.count, dimension, "trial gradient and history")
    swap(&v, &trialGradient)
  }

  @inline(__always)
  func gramEntry(_ i: Int, _ j: Int) -> Double { gram[i * gramSize + j] }

  @inline(__always)
  mutating func setGram(_ i: Int, _ j: Int, _ v: Double) {
    gram[i * gramSize + j] = v
    gram[j * gramSize + i] = v
  }

  /// The ring position of the i-th oldest pair.
  @inline(__always)
  func pairPosition(_ i: Int) -> Int { (head + i) % capacity }

  /// Σⱼ cⱼ·gram[row, j] over the live base vectors (stored pairs and the gradient).
  private func gramTimesCoefficients(row: Int) -> Double {
    var sum = coefficients[gradientIndex] * gramEntry(row, gradientIndex)
    for i in 0..<count {
      let p = pairPosition(i)
      let d = pairDirection[p]
      let y = differenceIndex(pairDifference[p])
      sum += coefficients[d] * gramEntry(row, d) + coefficients[y] * gramEntry(row, y)
    }
    return sum
  }

  /// Computes dₖ = −Hₖgₖ into a free direction slot (which becomes ``direction``) and returns the
  /// slope gₖᵀdₖ, from the two-loop recursion on coefficients and one blocked pass. NaN when the
  /// coefficients are not finite (the caller then resets).
  mutating func computeDirection() -> Double {
    // The two-loop recursion on coefficients: q = Σ cⱼbⱼ starts as gₖ.
    for j in 0..<gramSize { coefficients[j] = 0 }
    coefficients[gradientIndex] = 1
    var i = count - 1
    while i >= 0 {
      let p = pairPosition(i)
      let a = pairRho[p] * pairStep[p] * gramTimesCoefficients(row: pairDirection[p])
      alpha[p] = a
      coefficients[differenceIndex(pairDifference[p])] -= a
      i -= 1
    }
    for j in 0..<gramSize { coefficients[j] *= gamma }
    for i in 0..<count {
      let p = pairPosition(i)
      let b = pairRho[p] * gramTimesCoefficients(row: differenceIndex(pairDifference[p]))
      coefficients[pairDirection[p]] += (alpha[p] - b) * pairStep[p]
    }
    // d = −Σ cⱼbⱼ into a free slot (the previous direction's, if it was not stored).
    if directionPending { directionInUse[directionSlot] = false }
    var slot = 0
    while directionInUse[slot] { slot += 1 }
    directionInUse[slot] = true
    directionSlot = slot
    directionPending = true
    let k = 2 * count + 1
    var finite = true
    let slope = withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { sources in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * k) { scratch in
        // Sources: the gradient, the stored directions, the stored differences.
        sources[0] = gradientIndex
        for i in 0..<count {
          let p = pairPosition(i)
          sources[1 + i] = pairDirection[p]
          sources[1 + count + i] = differenceIndex(pairDifference[p])
        }
        // dᵀgₖ (the slope) directly; the other products from the Gram matrix.
        let dotCount = 1
        for j in 0..<k {
          let c = -coefficients[sources[j]]
          if !c.isFinite { finite = false }
          scratch[j] = c
        }
        let c = UnsafeBufferPointer(rebasing: scratch[0..<k])
        let dots = UnsafeMutableBufferPointer(rebasing: scratch[k..<(2 * k)])
        var target = [S]()
        swap(&target, &stored[slot])
        var widened = Vector()
        swap(&widened, &widenedDirection)
        let dd = currentGradient.withUnsafeBufferPointer { g in
          withPointers(to: UnsafeBufferPointer(rebasing: sources[1...])) { pointers in
            target.withUnsafeMutableBufferPointer { out in
              if S.self == Double.self {
                // The gradient is one more source of the same type (its first).
                return withPointers(leading: g.baseAddress!, pointers) { all in
                  blockedCombinationAndDots(
                    count: dimension, sources: all, coefficients: c, into: out.baseAddress!,
                    dots: dots, dotCount: dotCount, parallel: parallel)
                }
              }
              return widened.withUnsafeMutableBufferPointer { w in
                blockedCombinationAndDots(
                  count: dimension, lead: g.baseAddress!, sources: pointers, coefficients: c,
                  into: out.baseAddress!, widened: w.baseAddress!, dots: dots,
                  dotCount: dotCount, parallel: parallel)
              }
            }
          }
        }
        swap(&widened, &widenedDirection)
        swap(&target, &stored[slot])
        setGram(slot, slot, dd)
        for j in 0..<dotCount { setGram(slot, sources[j], dots[j]) }
        // The other products from the Gram matrix: dᵀbⱼ = Σᵢ δᵢ bᵢᵀbⱼ.
        for j in dotCount..<k {
          var sum = 0.0
          for i in 0..<k { sum += c[i] * gramEntry(sources[i], sources[j]) }
          setGram(slot, sources[j], sum)
        }
        return dots[0]
      }
    }
    return finite ? slope : .nan
  }

  /// Turns the trial gradient gₖ₊₁ into the current gradient without storing a pair (after a
  /// reset).
  mutating func adoptTrialGradient() {
    swap(&currentGradient, &trialGradient)
    setGram(gradientIndex, gradientIndex, currentGradient.normSquared)
    gradientNormInfinity = maximumMagnitude(currentGradient)
  }

  /// After a step of length αₖ along ``direction`` to a point whose gradient gₖ₊₁ is in the trial
  /// slot: forms yₖ = gₖ₊₁ − gₖ and stores (sₖ = αₖdₖ, yₖ) when yₖᵀsₖ > threshold·‖sₖ‖‖yₖ‖ and all
  /// is finite (evicting the oldest pair when full), then makes gₖ₊₁ the current gradient.
  /// Returns whether the pair was stored.
  ///
  /// `derivative`, when finite, is gₖ₊₁ᵀdₖ as the line search computed it (φ'(αₖ)); the pass then
  /// does not read dₖ. yₖᵀsₖ = αₖ(φ'(αₖ) − φ'(0)) is well conditioned under the curvature
  /// condition |φ'(αₖ)| ≤ c₂|φ'(0)|, c₂ < 1.
  @discardableResult
  mutating func push(step t: Double, derivative: Double = .nan, threshold: Double) -> Bool {
    checkSameCount(trialGradient.count, dimension, "trial gradient and history")
    precondition(directionPending, "L-BFGS push needs a direction from computeDirection()")
    directionPending = false
    var ySlot = 0
    while differenceInUse[ySlot] { ySlot += 1 }
    let yIndex = differenceIndex(ySlot)
    let d = directionSlot
    let full = count == capacity
    let first = full ? 1 : 0
    let knownDerivative = derivative.isFinite
    // Sources: the stored pairs except the one a successful push evicts, and dₖ unless gₖ₊₁ᵀdₖ
    // is known.
    let k = 2 * (count - first) + (knownDerivative ? 0 : 1)
    typealias PassResult = (aa: Double, ay: Double, yy: Double, aMax: Double)
    let result: PassResult = withUnsafeTemporaryAllocation(of: Int.self, capacity: k + 2) {
      sources in
      withUnsafeTemporaryAllocation(of: Double.self, capacity: k) { newerDots in
        sources[0] = trialIndex
        sources[1] = gradientIndex
        var j = 2
        if !knownDerivative {
          sources[2] = d
          j = 3
        }
        for i in first..<count {
          let p = pairPosition(i)
          sources[j] = pairDirection[p]
          sources[j + 1] = differenceIndex(pairDifference[p])
          j += 2
        }
        var target = [S]()
        swap(&target, &stored[yIndex])
        let products: PassResult = trialGradient.withUnsafeBufferPointer { a in
          currentGradient.withUnsafeBufferPointer { b in
            withPointers(to: UnsafeBufferPointer(rebasing: sources[2...])) { pointers in
              target.withUnsafeMutableBufferPointer { out in
                blockedDifferenceAndDots(
                  count: dimension, newer: a.baseAddress!, older: b.baseAddress!,
                  into: out.baseAddress!, sources: pointers, newerDots: newerDots,
                  parallel: parallel)
              }
            }
          }
        }
        swap(&target, &stored[yIndex])
        // The difference's row, yₖᵀv = gₖ₊₁ᵀv − gₖᵀv, then the new gradient's row (its index is
        // the current gradient's once the vectors are swapped below).
        setGram(yIndex, yIndex, products.yy)
        for j in 0..<k {
          let v = sources[j + 2]
          setGram(yIndex, v, newerDots[j] - gramEntry(gradientIndex, v))
        }
        if knownDerivative { setGram(yIndex, d, derivative - gramEntry(gradientIndex, d)) }
        for j in 0..<k { setGram(gradientIndex, sources[j + 2], newerDots[j]) }
        if knownDerivative { setGram(gradientIndex, d, derivative) }
        return products
      }
    }
    let dd = gramEntry(d, d)
    let ys = t * gramEntry(yIndex, d)
    let yy = result.yy
    let keep =
      ys.isFinite && yy.isFinite && yy > 0 && dd.isFinite
      && ys > threshold * Swift.abs(t) * dd.squareRoot() * yy.squareRoot()
    if keep {
      if full {
        let p = head
        directionInUse[pairDirection[p]] = false
        differenceInUse[pairDifference[p]] = false
        head = (head + 1) % capacity
        count -= 1
      }
      let p = pairPosition(count)
      pairDirection[p] = d
      pairDifference[p] = ySlot
      pairStep[p] = t
      pairRho[p] = 1 / ys
      differenceInUse[ySlot] = true
      count += 1
      gamma = ys / yy
      setGram(gradientIndex, yIndex, result.ay)
    } else {
      directionInUse[d] = false
      if full {
        // The pair kept after all was left out of the pass.
        let p = head
        let y = differenceIndex(pairDifference[p])
        setGram(gradientIndex, pairDirection[p], trialDot(pairDirection[p]))
        setGram(gradientIndex, y, trialDot(y))
      }
    }
    swap(&currentGradient, &trialGradient)
    setGram(gradientIndex, gradientIndex, result.aa)
    gradientNormInfinity = result.aMax
    return keep
  }

  /// The trial gradient's inner product with the stored vector `index`.
  private func trialDot(_ index: Int) -> Double {
    if S.self == Double.self {
      return dot(trialGradient, Vector(unsafeBitCast(stored[index], to: [Double].self)))
    }
    return trialGradient.withUnsafeBufferPointer { g in
      stored[index].withUnsafeBufferPointer { v in dot1(g.baseAddress!, v.baseAddress!, dimension) }
    }
  }

  /// Calls `body` with the base addresses of `stored[indices[j]]` (all of length n ≥ 1).
  private func withPointers<R>(
    to indices: UnsafeBufferPointer<Int>, _ body: (UnsafeBufferPointer<UnsafePointer<S>>) -> R
  ) -> R {
    withUnsafeTemporaryAllocation(of: UnsafePointer<S>.self, capacity: indices.count) {
      pointers in
      gather(indices, from: 0, into: pointers) { body(UnsafeBufferPointer(pointers)) }
    }
  }

  /// Calls `body` with `first` (a Double vector, when `S` is Double) followed by `rest`.
  private func withPointers<R>(
    leading first: UnsafePointer<Double>, _ rest: UnsafeBufferPointer<UnsafePointer<S>>,
    _ body: (UnsafeBufferPointer<UnsafePointer<S>>) -> R
  ) -> R {
    withUnsafeTemporaryAllocation(of: UnsafePointer<S>.self, capacity: rest.count + 1) {
      pointers in
      pointers[0] = UnsafeRawPointer(first).assumingMemoryBound(to: S.self)
      for j in rest.indices { pointers[j + 1] = rest[j] }
      return body(UnsafeBufferPointer(pointers))
    }
  }

  private func gather<R>(
    _ indices: UnsafeBufferPointer<Int>, from j: Int,
    into pointers: UnsafeMutableBufferPointer<UnsafePointer<S>>, _ body: () -> R
  ) -> R {
    if j == indices.count { return body() }
    return stored[indices[j]].withUnsafeBufferPointer { p in
      pointers[j] = p.baseAddress!
      return gather(indices, from: j + 1, into: pointers, body)
    }
  }
}
