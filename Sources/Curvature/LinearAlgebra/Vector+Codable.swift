extension Vector: Codable {
  /// Decodes a vector from a JSON-style array of numbers.
  public init(from decoder: any Decoder) throws {
    storage = try decoder.singleValueContainer().decode([Double].self)
  }

  /// Encodes the vector as an array of numbers.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(storage)
  }
}

extension Matrix: Codable {
  private enum CodingKeys: String, CodingKey { case rows, columns, storage }

  /// Decodes rows, columns and row-major storage.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let rows = try c.decode(Int.self, forKey: .rows)
    let columns = try c.decode(Int.self, forKey: .columns)
    let storage = try c.decode([Double].self, forKey: .storage)
    guard rows >= 0, columns >= 0, storage.count == rows * columns else {
      throw DecodingError.dataCorruptedError(
        forKey: .storage, in: c, debugDescription: "storage does not match \(rows)x\(columns)")
    }
    self.init(rows: rows, columns: columns, storage: storage)
  }

  /// Encodes rows, columns and row-major storage.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(rows, forKey: .rows)
    try c.encode(columns, forKey: .columns)
    try c.encode(storage, forKey: .storage)
  }
}
