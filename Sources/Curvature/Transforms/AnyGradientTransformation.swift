/// A type-erased gradient transformation, so that a tool can pick transforms by name.
///
/// Its state wraps the concrete state and encodes as that state; decode it with
/// ``decodeState(from:)`` (decoding needs the transformation that made the state).
public struct AnyGradientTransformation: GradientTransformation {
  /// A boxed concrete state.
  public struct State: Sendable, Codable, Equatable {
    let box: any TransformStateBox
    /// Encodes the concrete state.
    public func encode(to encoder: any Encoder) throws { try box.encode(to: encoder) }
    /// Not decodable without the transformation; use ``AnyGradientTransformation/decodeState(from:)``.
    public init(from decoder: any Decoder) throws {
      throw DecodingError.dataCorrupted(
        .init(
          codingPath: decoder.codingPath,
          debugDescription: "decode through AnyGradientTransformation.decodeState(from:)"))
    }
    init(box: any TransformStateBox) { self.box = box }
    public static func == (a: State, b: State) -> Bool { a.box.isEqual(to: b.box) }
  }

  /// The name given at creation.
  public let name: String
  private let makeState: @Sendable (Vector) -> any TransformStateBox
  private let updateBody:
    @Sendable (inout Vector, inout any TransformStateBox, UpdateContext) -> Void
  private let decodeBody: @Sendable (any Decoder) throws -> any TransformStateBox
  private let stopBody: @Sendable (any TransformStateBox) -> TrainingStatus?

  /// Erases `transformation`.
  public init<T: GradientTransformation>(_ transformation: T, name: String? = nil) {
    self.name = name ?? String(describing: T.self)
    makeState = { x in StateBox(value: transformation.initialState(for: x)) }
    updateBody = { u, s, c in
      var state = (s as! StateBox<T.State>).value
      transformation.update(&u, state: &state, context: c)
      s = StateBox(value: state)
    }
    decodeBody = { d in StateBox(value: try T.State(from: d)) }
    stopBody = { s in transformation.stopReason((s as! StateBox<T.State>).value) }
  }

  /// The wrapped transformation's initial state.
  public func initialState(for parameters: Vector) -> State { State(box: makeState(parameters)) }

  /// The wrapped transformation's update.
  public func update(_ updates: inout Vector, state: inout State, context: UpdateContext) {
    var box = state.box
    updateBody(&updates, &box, context)
    state = State(box: box)
  }

  /// The wrapped transformation's stop reason.
  public func stopReason(_ state: State) -> TrainingStatus? { stopBody(state.box) }

  /// Decodes a state previously encoded from this transformation's state.
  public func decodeState(from decoder: any Decoder) throws -> State {
    State(box: try decodeBody(decoder))
  }
}

protocol TransformStateBox: Sendable, Encodable {
  func isEqual(to other: any TransformStateBox) -> Bool
}

struct StateBox<S: Sendable & Codable & Equatable>: TransformStateBox {
  var value: S
  func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
  func isEqual(to other: any TransformStateBox) -> Bool {
    (other as? StateBox<S>)?.value == value
  }
}
