/// Reads the IDX format of the MNIST family of data sets (LeCun, Cortes and Burges).
///
/// An IDX file is a 4-byte magic number, the dimensions and the data, all big-endian:
/// two zero bytes; a type code, 0x08 unsigned byte, 0x09 signed byte, 0x0B 16-bit integer,
/// 0x0C 32-bit integer, 0x0D 32-bit float or 0x0E 64-bit float; the number of dimensions d ≥ 1;
/// then d sizes as 32-bit unsigned integers; then the elements in row-major order. The file
/// must end with its last element.
public enum IDXLoader {
  /// Reads and decodes the IDX file at `path`, naming `path` in errors.
  ///
  /// - Throws: ``DataFileError`` when the file cannot be read or is not a well-formed IDX file.
  public static func read(path: String) throws(DataFileError) -> IDXArray {
    try decode(readFileBytes(path: path), name: path)
  }

  /// Decodes the bytes of an IDX file.
  ///
  /// - Parameters:
  ///   - bytes: the whole file.
  ///   - name: the name errors give for the content (e.g. its file name).
  /// - Throws: ``DataFileError/idxBadMagic(file:bytes:)``,
  ///   ``DataFileError/idxBadDimensions(file:shape:reason:)``,
  ///   ``DataFileError/idxTruncated(file:expectedBytes:actualBytes:)`` or
  ///   ``DataFileError/idxTrailingBytes(file:expectedBytes:actualBytes:)``.
  public static func decode(_ bytes: [UInt8], name: String) throws(DataFileError) -> IDXArray {
    let magic = Array(bytes.prefix(4))
    guard isPlausibleMagic(magic) else { throw .idxBadMagic(file: name, bytes: magic) }
    guard bytes.count >= 4 else {
      throw .idxTruncated(file: name, expectedBytes: 4, actualBytes: bytes.count)
    }
    let type = bytes[2]
    let size = elementSize(type)!
    let headerSize = 4 + 4 * Int(bytes[3])
    guard bytes.count >= headerSize else {
      throw .idxTruncated(file: name, expectedBytes: headerSize, actualBytes: bytes.count)
    }
    let shape = (0..<Int(bytes[3])).map { Int(bigEndianWord(bytes, at: 4 + 4 * $0)) }
    var count = 1
    for dimension in shape {
      let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
      guard !overflow, product <= Int.max / 8 - headerSize else {
        throw .idxBadDimensions(file: name, shape: shape, reason: "too many elements")
      }
      count = product
    }
    let expected = headerSize + count * size
    guard bytes.count >= expected else {
      throw .idxTruncated(file: name, expectedBytes: expected, actualBytes: bytes.count)
    }
    guard bytes.count == expected else {
      throw .idxTrailingBytes(file: name, expectedBytes: expected, actualBytes: bytes.count)
    }
    let values = bytes.withUnsafeBufferPointer { buffer in
      decodeElements(UnsafeBufferPointer(rebasing: buffer[headerSize...]), type: type, count: count)
    }
    return IDXArray(shape: shape, values: values)
  }

  /// Reads an images file and a labels file of the MNIST kind into a data set.
  ///
  /// The images file's first dimension counts the samples and the others are flattened
  /// row-major into the features (784 for 28 × 28 images); every pixel is multiplied by
  /// `scale`. The labels file has one dimension (or a second one of size 1) of the same count,
  /// and whole-number values of at least 0. The ``LabeledDataSet/classCount`` is the largest
  /// label + 1.
  ///
  /// - Parameters:
  ///   - images: the path of the images file (e.g. `train-images-idx3-ubyte`).
  ///   - labels: the path of the labels file (e.g. `train-labels-idx1-ubyte`).
  ///   - scale: the factor applied to every pixel (1/255 maps bytes to [0, 1]).
  /// - Throws: ``DataFileError`` when a file cannot be read or decoded,
  ///   ``DataFileError/countMismatch(images:imageCount:labels:labelCount:)`` when the counts
  ///   differ, ``DataFileError/idxInvalidLabel(file:index:value:)`` for a bad label and
  ///   ``DataFileError/empty(file:)`` when there are no images.
  public static func load(
    images: String, labels: String, scale: Double = 1.0 / 255
  ) throws(DataFileError) -> LabeledDataSet {
    let imageArray = try read(path: images)
    let labelArray = try read(path: labels)
    let labelShape = labelArray.shape
    guard labelShape.count == 1 || labelShape.count == 2 && labelShape[1] == 1 else {
      throw .idxBadDimensions(
        file: labels, shape: labelShape,
        reason: "labels need one dimension (or a second one of size 1)")
    }
    let imageCount = imageArray.shape[0]
    guard labelShape[0] == imageCount else {
      throw .countMismatch(
        images: images, imageCount: imageCount, labels: labels, labelCount: labelShape[0])
    }
    guard imageCount > 0 else { throw .empty(file: images) }
    var classLabels = [Int]()
    classLabels.reserveCapacity(imageCount)
    for (index, value) in labelArray.values.enumerated() {
      guard value >= 0, value < 0x1p53, value.rounded(.towardZero) == value else {
        throw .idxInvalidLabel(file: labels, index: index, value: value)
      }
      classLabels.append(Int(value))
    }
    var features = imageArray.values
    for i in features.indices { features[i] *= scale }
    return LabeledDataSet(
      features: features, featureCount: imageArray.shape.dropFirst().reduce(1, *),
      labels: classLabels)
  }

  /// Whether the first (up to four) bytes can start an IDX file: 0, 0, a known type code and a
  /// dimension count of at least 1.
  private static func isPlausibleMagic(_ magic: [UInt8]) -> Bool {
    for (position, byte) in magic.enumerated() {
      switch position {
      case 0, 1: if byte != 0 { return false }
      case 2: if elementSize(byte) == nil { return false }
      default: if byte == 0 { return false }
      }
    }
    return true
  }

  /// The size in bytes of an element of the given type code, or nil for an unknown code.
  private static func elementSize(_ type: UInt8) -> Int? {
    switch type {
    case 0x08, 0x09: return 1
    case 0x0B: return 2
    case 0x0C, 0x0D: return 4
    case 0x0E: return 8
    default: return nil
    }
  }

  /// The big-endian 32-bit word at `offset`.
  private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
    bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// `count` big-endian elements of the given type, converted to `Double`.
  private static func decodeElements(
    _ data: UnsafeBufferPointer<UInt8>, type: UInt8, count: Int
  ) -> [Double] {
    /// The big-endian word of `width` bytes starting at element `i`.
    func word(_ i: Int, width: Int) -> UInt64 {
      var w: UInt64 = 0
      for b in 0..<width { w = w << 8 | UInt64(data[i * width + b]) }
      return w
    }
    return [Double](unsafeUninitializedCapacity: count) { values, initialized in
      switch type {
      case 0x08:
        for i in 0..<count { values[i] = Double(data[i]) }
      case 0x09:
        for i in 0..<count { values[i] = Double(Int8(bitPattern: data[i])) }
      case 0x0B:
        for i in 0..<count {
          values[i] = Double(Int16(bitPattern: UInt16(truncatingIfNeeded: word(i, width: 2))))
        }
      case 0x0C:
        for i in 0..<count {
          values[i] = Double(Int32(bitPattern: UInt32(truncatingIfNeeded: word(i, width: 4))))
        }
      case 0x0D:
        for i in 0..<count {
          values[i] = Double(Float(bitPattern: UInt32(truncatingIfNeeded: word(i, width: 4))))
        }
      default:
        for i in 0..<count { values[i] = Double(bitPattern: word(i, width: 8)) }
      }
      initialized = count
    }
  }
}
