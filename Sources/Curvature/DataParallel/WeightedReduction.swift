/// One rank's share of a batch: its weight |Bᵣ|/|B| and the sums that combine the ranks.
struct WeightedReduction<Group: Collective>: Sendable {
  let collective: Group
  let weight: Double
  let dimension: Int

  /// Whether this rank holds samples of the batch (otherwise it contributes zeros).
  var active: Bool { weight != 0 }

  /// wᵣ·s, or 0 on a rank without samples (s is then not evaluated; pass 0).
  @inline(__always)
  func share(_ s: Double) -> Double { active ? (weight == 1 ? s : weight * s) : 0 }

  /// Σᵣ wᵣ fᵣ. Collective (1 word).
  func value(_ f: Double) -> Double { collective.sum(share(f)) }

  /// Replaces `vector` by wᵣ·`vector`: zeros on a rank without samples, NaN in place of a
  /// vector of the wrong length.
  private func weigh(_ vector: inout Vector) {
    let n = dimension
    if !active {
      vector = .zeros(n)
    } else if vector.count != n {
      vector = Vector(repeating: .nan, count: n)
    } else if weight != 1 {
      vector.scale(by: weight)
    }
  }

  /// Replaces `vector` by Σᵣ wᵣ vᵣ. Collective (n words).
  func sum(_ vector: inout Vector) {
    weigh(&vector)
    collective.sum(&vector)
  }

  /// Replaces `vector` by Σᵣ wᵣ vᵣ and returns Σᵣ wᵣ fᵣ, both from one sum with f packed after
  /// the vector. Collective (n + 1 words).
  func packed(value f: Double, vector: inout Vector) -> Double {
    weigh(&vector)
    vector.storage.reserveCapacity(dimension + 1)
    vector.storage.append(share(f))
    collective.sum(&vector)
    return vector.storage.removeLast()
  }

  /// A product prepared at θ on the ranks that hold samples, and summed over all ranks.
  func product(
    _ prepare: @escaping (Vector) -> (Vector, inout Vector) -> Void
  ) -> (Vector) -> (Vector, inout Vector) -> Void {
    { x in
      let local = self.active ? prepare(x) : nil
      return { v, out in
        local?(v, &out)
        self.sum(&out)
      }
    }
  }
}
