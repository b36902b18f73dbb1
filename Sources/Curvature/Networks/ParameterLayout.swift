/// One named block of a flat parameter vector: a weight matrix, a bias vector, or any other
/// piece a model stores contiguously, with a label that per-block transforms select on.
public struct ParameterBlock: Sendable, Hashable, Codable {
  /// The shape of a block.
  public enum Shape: Sendable, Hashable, Codable {
    /// A vector of the given length.
    case vector(Int)
    /// A rows × columns matrix stored row-major.
    case matrix(rows: Int, columns: Int)

    /// The number of elements.
    public var count: Int {
      switch self {
      case .vector(let n): n
      case .matrix(let r, let c): r * c
      }
    }
  }

  /// The block's name, unique in its layout (e.g. "dense1.weight").
  public var name: String
  /// Its shape.
  public var shape: Shape
  /// Its label (e.g. "weight" or "bias"), shared by blocks a transform treats alike.
  public var label: String
  /// The index of its first element in the flat vector.
  public var offset: Int

  /// The elements of the flat vector the block occupies.
  public var range: Range<Int> { offset..<(offset + shape.count) }
  /// The number of elements.
  public var count: Int { shape.count }
  /// (rows, columns) of a matrix block; (count, 1) of a vector block.
  public var matrixShape: (rows: Int, columns: Int) {
    switch shape {
    case .vector(let n): (n, 1)
    case .matrix(let r, let c): (r, c)
    }
  }
}

/// The structure of a flat parameter vector θ: consecutive named blocks with shapes and labels
/// (Optax's parameter pytrees, flattened). Transforms that act per block (`Partition`,
/// `Masked`) and structured preconditioners (``KFAC``) read it; unstructured transforms keep
/// seeing one ``Vector``.
///
/// A block's elements are θ[offset ..< offset + count]; a matrix block is row-major, so
/// ``Vector/withMatrixView(of:_:)`` views it as a matrix without copying.
public struct ParameterLayout: Sendable, Hashable, Codable {
  /// The blocks in storage order; together they cover 0..<``count`` without gaps.
  public private(set) var blocks: [ParameterBlock]

  /// An empty layout.
  public init() { blocks = [] }

  /// A layout with one vector block covering n elements, labelled "parameters": what an
  /// unstructured vector looks like to a per-block transform.
  public static func flat(_ n: Int) -> ParameterLayout {
    var layout = ParameterLayout()
    layout.append(name: "parameters", shape: .vector(n), label: "parameters")
    return layout
  }

  /// The total number of elements n = Σ counts.
  public var count: Int { blocks.last.map { $0.offset + $0.count } ?? 0 }

  /// Appends a block after the last one and returns it.
  ///
  /// - Precondition: the name is new and the shape has no negative extent.
  @discardableResult
  public mutating func append(name: String, shape: ParameterBlock.Shape, label: String)
    -> ParameterBlock
  {
    precondition(shape.count >= 0, "a block cannot have a negative size: \(shape)")
    precondition(self[name] == nil, "the layout already has a block named \(name)")
    let block = ParameterBlock(name: name, shape: shape, label: label, offset: count)
    blocks.append(block)
    return block
  }

  /// The block with the given name, or nil.
  public subscript(name: String) -> ParameterBlock? {
    blocks.first { $0.name == name }
  }

  /// The blocks with the given label, in storage order.
  public func blocks(labeled label: String) -> [ParameterBlock] {
    blocks.filter { $0.label == label }
  }

  /// The distinct labels in order of first appearance.
  public var labels: [String] {
    var seen = Set<String>()
    return blocks.compactMap { seen.insert($0.label).inserted ? $0.label : nil }
  }

  /// A vector with 1 on the elements of the blocks `selected` accepts and 0 elsewhere (a
  /// per-element weight for penalties such as weight decay on weights only).
  public func mask(_ selected: (ParameterBlock) -> Bool) -> Vector {
    var m = Vector.zeros(count)
    for b in blocks where selected(b) {
      for i in b.range { m[i] = 1 }
    }
    return m
  }
}
