/// One layer of a ``Network`` as a user writes it: a dense (fully connected) layer or the
/// activation that follows it.
///
/// ```swift
/// let net = Network(inputWidth: 64, layers: [.dense(32), .tanh, .dense(10)])
/// ```
public struct NetworkLayer: Sendable, Hashable, Codable {
  /// What the layer is.
  public enum Kind: Sendable, Hashable, Codable {
    /// z = W a + b (b only when `bias`), W of shape outputs × inputs.
    case dense(outputs: Int, bias: Bool)
    /// a = σ(z), elementwise.
    case activation(Activation)
  }

  /// The layer.
  public var kind: Kind

  /// A layer of the given kind.
  public init(_ kind: Kind) { self.kind = kind }

  /// A dense layer with `outputs` units, with a bias unless `bias` is false.
  public static func dense(_ outputs: Int, bias: Bool = true) -> NetworkLayer {
    NetworkLayer(.dense(outputs: outputs, bias: bias))
  }

  /// An activation layer.
  public static func activation(_ activation: Activation) -> NetworkLayer {
    NetworkLayer(.activation(activation))
  }

  /// tanh.
  public static var tanh: NetworkLayer { .activation(.tanh) }
  /// max(z, 0).
  public static var relu: NetworkLayer { .activation(.relu) }
  /// The logistic sigmoid.
  public static var sigmoid: NetworkLayer { .activation(.sigmoid) }
  /// The exact GELU z Φ(z).
  public static var gelu: NetworkLayer { .activation(.gelu) }
}
