/// An array read from an IDX file: its dimensions and its elements converted to `Double`, in
/// the file's order (row-major, the last dimension varying fastest).
public struct IDXArray: Sendable, Equatable {
  /// The dimensions, outermost first (e.g. [60000, 28, 28] for MNIST's training images).
  public var shape: [Int]
  /// The elements, `shape.reduce(1, *)` of them.
  public var values: [Double]

  /// Creates an array, checking that `values` has as many elements as `shape` calls for.
  public init(shape: [Int], values: [Double]) {
    precondition(shape.allSatisfy { $0 >= 0 }, "dimensions must be at least 0, got \(shape)")
    precondition(
      values.count == shape.reduce(1, *),
      "\(values.count) values do not fill the shape \(shape)")
    self.shape = shape
    self.values = values
  }
}
