/// The elements of a flat parameter vector θ ∈ ℝⁿ that some blocks of a ``ParameterLayout``
/// occupy, kept as maximal runs of consecutive indices in storage order: the index set
/// S = s₁ < s₂ < … < sₘ behind the gather y = θ[S] ∈ ℝᵐ and the scatter θ[S] ← y that
/// ``Partition``, ``Masked`` and ``AddDecayedWeights`` use.
struct BlockSelection: Sendable, Hashable {
  /// The runs of selected indices, ascending, disjoint and not adjacent (adjacent blocks merge).
  let runs: [Range<Int>]
  /// m = |S|.
  let count: Int
  /// n, the length of the full vector.
  let totalCount: Int

  /// The elements of `blocks`, given in storage order, in a vector of `totalCount` elements.
  init(blocks: some Sequence<ParameterBlock>, totalCount: Int) {
    var runs: [Range<Int>] = []
    for block in blocks where block.count > 0 {
      precondition(
        block.offset >= (runs.last?.upperBound ?? 0) && block.range.upperBound <= totalCount,
        "block \(block.name) at \(block.range) is out of order or outside 0..<\(totalCount)")
      if let last = runs.last, last.upperBound == block.offset {
        runs[runs.count - 1] = last.lowerBound..<block.range.upperBound
      } else {
        runs.append(block.range)
      }
    }
    self.runs = runs
    self.count = runs.reduce(0) { $0 + $1.count }
    self.totalCount = totalCount
  }

  /// The blocks of `layout` that `selected` accepts.
  init(layout: ParameterLayout, where selected: (ParameterBlock) -> Bool) {
    self.init(blocks: layout.blocks.filter(selected), totalCount: layout.count)
  }

  /// Whether S = {0, …, n − 1}: the gather is the identity.
  var isEverything: Bool { count == totalCount }

  /// θ[S], a new vector of length m.
  func gather(_ x: Vector) -> Vector {
    checkSameCount(x.count, totalCount, "full vector and layout")
    var y = Vector.zeros(count)
    x.withUnsafeBufferPointer { px in
      y.withUnsafeMutableBufferPointer { py in
        guard let source = px.baseAddress, let target = py.baseAddress else { return }
        var k = 0
        for r in runs {
          (target + k).update(from: source + r.lowerBound, count: r.count)
          k += r.count
        }
      }
    }
    return y
  }

  /// θ[S] ← y; the other elements of θ are not touched.
  func scatter(_ y: Vector, into x: inout Vector) {
    checkSameCount(y.count, count, "slice and selection")
    checkSameCount(x.count, totalCount, "full vector and layout")
    y.withUnsafeBufferPointer { py in
      x.withUnsafeMutableBufferPointer { px in
        guard let source = py.baseAddress, let target = px.baseAddress else { return }
        var k = 0
        for r in runs {
          (target + r.lowerBound).update(from: source + k, count: r.count)
          k += r.count
        }
      }
    }
  }

  /// x with x[S] replaced by y.
  func embed(_ y: Vector, in x: Vector) -> Vector {
    var z = x
    scatter(y, into: &z)
    return z
  }

  /// The context of the restricted objective φ(y) = f(θ with θ[S] = y) at y = θ[S], the other
  /// blocks held at the current parameters:
  /// - ``UpdateContext/parameters`` and ``UpdateContext/gradient`` are θ[S] and ∇f(θ)[S]
  ///   (∇φ = (∇f)[S]);
  /// - ``UpdateContext/value``, ``UpdateContext/iteration`` and ``UpdateContext/seed`` pass
  ///   unchanged (φ(θ[S]) = f(θ));
  /// - ``UpdateContext/evaluateValue`` and ``UpdateContext/evaluateGradient`` evaluate f at θ
  ///   with θ[S] = y and return the gradient's slice;
  /// - ``UpdateContext/hessianVectorProduct`` and ``UpdateContext/gaussNewtonProduct`` embed the
  ///   direction with zeros elsewhere and return the product's slice: the principal sub-blocks
  ///   H[S, S] and G[S, S], exactly the curvature of φ;
  /// - ``UpdateContext/layerStatistics`` is dropped (nil): statistics of the whole network do not
  ///   restrict to a subset of its parameters.
  ///
  /// When S is everything the context passes unchanged, statistics included.
  func restrict(_ context: UpdateContext) -> UpdateContext {
    if isEverything { return context }
    let x = context.parameters
    var restricted = UpdateContext(
      parameters: gather(x), value: context.value, gradient: context.gradient.map(gather),
      iteration: context.iteration, seed: context.seed)
    if let f = context.evaluateValue {
      restricted.evaluateValue = { y in
        self.checkSliceCount(y.count, "evaluateValue")
        return f(self.embed(y, in: x))
      }
    }
    if let f = context.evaluateGradient {
      restricted.evaluateGradient = { y, gy in
        self.checkSliceCount(y.count, "evaluateGradient")
        var g = Vector.zeros(self.totalCount)
        let value = f(self.embed(y, in: x), &g)
        gy = self.gather(g)
        return value
      }
    }
    restricted.hessianVectorProduct = context.hessianVectorProduct.map(restrictProduct)
    restricted.gaussNewtonProduct = context.gaussNewtonProduct.map(restrictProduct)
    restricted.budgetRemaining = context.budgetRemaining
    return restricted
  }

  /// v ↦ (M·v̄)[S] with v̄ = v on S and 0 elsewhere: the principal sub-block M[S, S].
  private func restrictProduct(_ product: @escaping (Vector, inout Vector) -> Void)
    -> (Vector, inout Vector) -> Void
  {
    { v, mv in
      self.checkSliceCount(v.count, "curvature product")
      var direction = Vector.zeros(self.totalCount)
      self.scatter(v, into: &direction)
      var full = Vector.zeros(self.totalCount)
      product(direction, &full)
      mv = self.gather(full)
    }
  }

  /// Stops when a restricted closure receives a vector that is not a slice.
  private func checkSliceCount(_ n: Int, _ closure: String) {
    precondition(
      n == count,
      "a per-block \(closure) closure takes a slice of \(count) elements, got \(n)")
  }
}
