import Curvature
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A fresh directory under /tmp, removed (with the files written into it) by ``remove()``.
private struct TemporaryDirectory {
  let path: String
  private(set) var files: [String] = []

  init() {
    var template = Array("/tmp/curvature-data-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
    }
    guard let made else { preconditionFailure("mkdtemp failed") }
    path = made
  }

  /// Writes `bytes` to the file `name` in the directory and returns its path.
  mutating func write(_ name: String, _ bytes: [UInt8]) -> String {
    let file = path + "/" + name
    let handle = fopen(file, "wb")!
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, handle) }
    fclose(handle)
    precondition(written == bytes.count, "short write to \(file)")
    files.append(file)
    return file
  }

  /// Removes the files written and the directory.
  func remove() {
    for file in files { unlink(file) }
    rmdir(path)
  }
}

/// The error a throwing closure throws, or nil.
private func caughtError(_ body: () throws(DataFileError) -> Void) -> DataFileError? {
  do {
    try body()
    return nil
  } catch {
    return error
  }
}

/// The error parsing `text` as `t.csv` throws, or nil.
private func csvError(
  _ text: String, labelColumn: Int? = nil, header: Bool? = nil
) -> DataFileError? {
  caughtError { () throws(DataFileError) in
    _ = try CSVLoader.parse(text, name: "t.csv", labelColumn: labelColumn, header: header)
  }
}

/// The error decoding `bytes` as `t.idx` throws, or nil.
private func idxError(_ bytes: [UInt8]) -> DataFileError? {
  caughtError { () throws(DataFileError) in _ = try IDXLoader.decode(bytes, name: "t.idx") }
}

/// An IDX file: the magic number for `type` and `shape.count` dimensions, the sizes, `payload`.
private func idxBytes(type: UInt8, shape: [Int], payload: [UInt8]) -> [UInt8] {
  var bytes: [UInt8] = [0, 0, type, UInt8(shape.count)]
  for size in shape {
    let word = UInt32(size)
    bytes += [
      UInt8(word >> 24), UInt8((word >> 16) & 0xFF), UInt8((word >> 8) & 0xFF), UInt8(word & 0xFF),
    ]
  }
  return bytes + payload
}

@Suite struct LabeledDataSetTests {
  let data = LabeledDataSet(
    features: [0, 1, 10, 11, 20, 21, 30, 31, 40, 41], featureCount: 2, labels: [2, 0, 2, 1, 0])

  @Test func classCountIsTheLargestLabelPlusOneUnlessGiven() {
    #expect(data.sampleCount == 5)
    #expect(data.classCount == 3)
    #expect(data.classSampleCounts == [2, 1, 2])
    let wider = LabeledDataSet(features: [1, 2], featureCount: 1, labels: [0, 1], classCount: 4)
    #expect(wider.classCount == 4)
    #expect(wider.classSampleCounts == [1, 1, 0, 0])
    let none = LabeledDataSet(features: [], featureCount: 3, labels: [])
    #expect(none.classCount == 0 && none.sampleCount == 0)
  }

  @Test func oneHotTargetsAreRowMajor() {
    #expect(data.oneHotTargets() == [0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 0])
    let four = data.subset([3]).oneHotTargets(classCount: 4)
    #expect(four == [0, 1, 0, 0])
  }

  @Test func subsetKeepsOrderRepetitionsAndClassCount() {
    let part = data.subset([4, 1, 4])
    #expect(part.features == [40, 41, 10, 11, 40, 41])
    #expect(part.labels == [0, 0, 0])
    #expect(part.classCount == 3)
    #expect(data.featureRow(2) == [20, 21])
  }

  @Test func scaledFeaturesMultipliesEveryFeature() {
    let scaled = data.scaledFeatures(by: 0.5)
    #expect(scaled.features == data.features.map { $0 * 0.5 })
    #expect(scaled.labels == data.labels && scaled.featureCount == 2)
  }

  /// 27 samples of class 0, 14 of class 1 and 4 of class 2; feature 0 is the sample's index.
  static let indexed: LabeledDataSet = {
    let labels = (0..<45).map { $0 % 4 == 3 && $0 < 16 ? 2 : ($0 % 3 == 1 ? 1 : 0) }
    return LabeledDataSet(features: (0..<45).map(Double.init), featureCount: 1, labels: labels)
  }()

  @Test(arguments: [0.0, 0.2, 0.25, 0.5, 1.0])
  func splitIsStratifiedDisjointCoveringAndOrdered(testFraction: Double) {
    let data = Self.indexed
    let (train, test) = data.split(testFraction: testFraction, seed: 7)
    let trainIndices = train.features.map { Int($0) }
    let testIndices = test.features.map { Int($0) }
    #expect((trainIndices + testIndices).sorted() == Array(0..<45))
    #expect(trainIndices == trainIndices.sorted() && testIndices == testIndices.sorted())
    #expect(train.labels == trainIndices.map { data.labels[$0] })
    #expect(test.labels == testIndices.map { data.labels[$0] })
    let expected = data.classSampleCounts.map { Int((testFraction * Double($0)).rounded()) }
    #expect(test.classSampleCounts == expected)
    #expect(train.classCount == 3 && test.classCount == 3)
  }

  @Test func splitIsDeterministicInTheSeed() {
    let data = Self.indexed
    let a = data.split(testFraction: 0.3, seed: 11)
    let b = data.split(testFraction: 0.3, seed: 11)
    let c = data.split(testFraction: 0.3, seed: 12)
    #expect(a.train == b.train && a.test == b.test)
    #expect(a.test != c.test)
  }
}

@Suite struct CSVLoaderTests {
  @Test func parsesHeaderCRLFSpacesAndTrailingBlankLines() throws {
    let text = "\u{FEFF}x, y ,label\r\n 1.5, -2 ,1\r\n3e2,4,0\r\n\r\n  \n"
    let data = try CSVLoader.parse(text, name: "t.csv")
    #expect(data.features == [1.5, -2, 300, 4])
    #expect(data.labels == [1, 0])
    #expect(data.featureCount == 2 && data.classCount == 2)
  }

  @Test func parsesALabelColumnAnotherSeparatorAndNoHeader() throws {
    let text = "3;0.5;0.25\n\n0;1;2.0\n"
    let data = try CSVLoader.parse(
      text, name: "t.csv", labelColumn: 0, separator: UInt8(ascii: ";"), header: false)
    #expect(data.features == [0.5, 0.25, 1, 2])
    #expect(data.labels == [3, 0])
    #expect(data.classCount == 4)
    let integral = try CSVLoader.parse("1,2.0\n3,1e0", name: "t.csv")
    #expect(integral.labels == [2, 1])
  }

  @Test func parsesWhitespaceSeparatedFields() throws {
    let text = "  1\t 2   0\n3 4 1  \n"
    let data = try CSVLoader.parse(text, name: "t.txt", separator: UInt8(ascii: " "))
    #expect(data.features == [1, 2, 3, 4])
    #expect(data.labels == [0, 1])
  }

  @Test func loadsAFileFromDisk() throws {
    var directory = TemporaryDirectory()
    defer { directory.remove() }
    let path = directory.write("data.csv", Array("a,b,c\n1,2,0\n3,4,1\n5,6,2".utf8))
    let data = try CSVLoader.load(path: path)
    #expect(
      data == LabeledDataSet(features: [1, 2, 3, 4, 5, 6], featureCount: 2, labels: [0, 1, 2]))
  }

  @Test func reportsFilesThatCannotBeOpenedOrRead() {
    let directory = TemporaryDirectory()
    defer { directory.remove() }
    let missing = directory.path + "/missing.csv"
    let openError = caughtError { () throws(DataFileError) in
      _ = try CSVLoader.load(path: missing)
    }
    #expect(openError == .cannotOpen(path: missing, reason: "No such file or directory"))
    let readError = caughtError { () throws(DataFileError) in
      _ = try CSVLoader.load(path: directory.path)
    }
    #expect(readError == .cannotRead(path: directory.path, reason: "Is a directory"))
  }

  @Test func rejectsAWrongFieldCount() {
    #expect(
      csvError("1,2,0\n\n3,4\n") == .wrongFieldCount(file: "t.csv", line: 3, expected: 3, found: 2))
    #expect(
      csvError("a,b\n1,2,0\n") == .wrongFieldCount(file: "t.csv", line: 2, expected: 2, found: 3))
  }

  @Test func rejectsANonNumericField() {
    let error = csvError("1,2,0\n3,4,1\n5,abc,1\n")
    #expect(error == .notANumber(file: "t.csv", line: 3, column: 2, text: "abc"))
    #expect(error?.description == "t.csv:3:2: \"abc\" is not a number")
    #expect(
      csvError("x,1,0\n", header: false)
        == .notANumber(file: "t.csv", line: 1, column: 1, text: "x"))
  }

  @Test func rejectsNonFiniteValuesAndEmptyFields() {
    #expect(
      csvError("1,nan,0\n") == .nonFiniteValue(file: "t.csv", line: 1, column: 2, text: "nan"))
    #expect(
      csvError("1,2,0\n-inf,2,0\n")
        == .nonFiniteValue(file: "t.csv", line: 2, column: 1, text: "-inf"))
    #expect(
      csvError("1e999,2,0\n") == .nonFiniteValue(file: "t.csv", line: 1, column: 1, text: "1e999"))
    #expect(csvError("1, ,0\n") == .emptyField(file: "t.csv", line: 1, column: 2))
    #expect(csvError("1,2,0,\n") == .emptyField(file: "t.csv", line: 1, column: 4))
  }

  @Test(arguments: ["1.5", "-1", "x", "inf", "1e300"])
  func rejectsABadLabel(label: String) {
    let error = csvError("1,2,0\n3,4,\(label)\n")
    #expect(error == .invalidLabel(file: "t.csv", line: 2, column: 3, text: label))
  }

  @Test func rejectsALabelColumnOutsideTheFields() {
    #expect(
      csvError("1,2,0\n", labelColumn: 3)
        == .labelColumnOutOfRange(file: "t.csv", labelColumn: 3, fieldCount: 3))
  }

  @Test(arguments: ["", "\n\n", " \r\n\t\n", "x,y,label\n", "x,y,label\n\n"])
  func rejectsAFileWithoutSamples(text: String) {
    #expect(csvError(text) == .empty(file: "t.csv"))
  }
}

@Suite struct IDXLoaderTests {
  @Test func decodesEveryElementType() throws {
    let ubyte = try IDXLoader.decode(
      idxBytes(type: 0x08, shape: [2, 3], payload: [0, 1, 2, 127, 128, 255]), name: "t.idx")
    #expect(ubyte == IDXArray(shape: [2, 3], values: [0, 1, 2, 127, 128, 255]))
    let byte = try IDXLoader.decode(
      idxBytes(type: 0x09, shape: [3], payload: [0x7F, 0x80, 0xFF]), name: "t.idx")
    #expect(byte.values == [127, -128, -1])
    let short = try IDXLoader.decode(
      idxBytes(type: 0x0B, shape: [2], payload: [0x01, 0x02, 0xFF, 0xFE]), name: "t.idx")
    #expect(short.values == [258, -2])
    let int = try IDXLoader.decode(
      idxBytes(type: 0x0C, shape: [2], payload: [0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0xFD]),
      name: "t.idx")
    #expect(int.values == [65536, -3])
    let float = try IDXLoader.decode(
      idxBytes(type: 0x0D, shape: [1, 1], payload: [0x3F, 0xC0, 0, 0]), name: "t.idx")
    #expect(float == IDXArray(shape: [1, 1], values: [1.5]))
    let double = try IDXLoader.decode(
      idxBytes(type: 0x0E, shape: [1], payload: [0xC0, 0x09, 0x21, 0xFB, 0x54, 0x44, 0x2D, 0x18]),
      name: "t.idx")
    #expect(double.values == [-Double.pi])
    let none = try IDXLoader.decode(idxBytes(type: 0x08, shape: [0, 28], payload: []), name: "e")
    #expect(none == IDXArray(shape: [0, 28], values: []))
  }

  @Test func loadsImagesAndLabelsFromDisk() throws {
    var directory = TemporaryDirectory()
    defer { directory.remove() }
    let images = directory.write(
      "images.idx",
      idxBytes(type: 0x08, shape: [3, 2, 2], payload: (0..<12).map { UInt8($0 * 20) }))
    let labels = directory.write(
      "labels.idx", idxBytes(type: 0x08, shape: [3], payload: [7, 0, 3]))
    let data = try IDXLoader.load(images: images, labels: labels)
    #expect(data.featureCount == 4 && data.sampleCount == 3 && data.classCount == 8)
    #expect(data.labels == [7, 0, 3])
    let pixels: [Double] = (0..<12).map { (i: Int) -> Double in Double(20 * i) * (1.0 / 255) }
    #expect(data.features == pixels)
    let raw = try IDXLoader.load(images: images, labels: labels, scale: 1)
    #expect(raw.featureRow(2) == [160, 180, 200, 220])
    #expect(try IDXLoader.read(path: labels) == IDXArray(shape: [3], values: [7, 0, 3]))
  }

  @Test func rejectsABadMagicNumber() {
    let payload: [UInt8] = [1, 2]
    #expect(
      idxError([0, 1, 8, 1, 0, 0, 0, 2] + payload)
        == .idxBadMagic(file: "t.idx", bytes: [0, 1, 8, 1]))
    #expect(idxError([0, 0, 0x0A, 1]) == .idxBadMagic(file: "t.idx", bytes: [0, 0, 0x0A, 1]))
    #expect(idxError([0, 0, 8, 0]) == .idxBadMagic(file: "t.idx", bytes: [0, 0, 8, 0]))
    #expect(idxError(Array("P5\n28".utf8)) == .idxBadMagic(file: "t.idx", bytes: [80, 53, 10, 50]))
    let error = idxError([0x1F, 0x8B, 8, 0])
    #expect(error == .idxBadMagic(file: "t.idx", bytes: [0x1F, 0x8B, 8, 0]))
    #expect(
      error?.description.hasPrefix("t.idx: not an IDX file: starts with [1F 8B 08 00]") == true)
  }

  @Test func rejectsATruncatedFile() {
    #expect(idxError([]) == .idxTruncated(file: "t.idx", expectedBytes: 4, actualBytes: 0))
    #expect(idxError([0, 0, 8]) == .idxTruncated(file: "t.idx", expectedBytes: 4, actualBytes: 3))
    #expect(
      idxError([0, 0, 8, 3, 0, 0, 0, 2, 0, 0])
        == .idxTruncated(file: "t.idx", expectedBytes: 16, actualBytes: 10))
    let short = idxBytes(type: 0x0B, shape: [2, 3], payload: Array(repeating: 0, count: 11))
    #expect(idxError(short) == .idxTruncated(file: "t.idx", expectedBytes: 24, actualBytes: 23))
  }

  @Test func rejectsTrailingBytesAndHugeDimensions() {
    let long = idxBytes(type: 0x08, shape: [2], payload: [1, 2, 3])
    #expect(idxError(long) == .idxTrailingBytes(file: "t.idx", expectedBytes: 10, actualBytes: 11))
    let huge = idxBytes(type: 0x0E, shape: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], payload: [])
    #expect(
      idxError(huge)
        == .idxBadDimensions(
          file: "t.idx", shape: [0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF], reason: "too many elements"
        ))
  }

  @Test func rejectsMismatchedCountsBadLabelShapesAndBadLabels() {
    var directory = TemporaryDirectory()
    defer { directory.remove() }
    let images = directory.write(
      "images.idx", idxBytes(type: 0x08, shape: [3, 2], payload: [1, 2, 3, 4, 5, 6]))
    let two = directory.write("two.idx", idxBytes(type: 0x08, shape: [2], payload: [1, 0]))
    let square = directory.write(
      "square.idx", idxBytes(type: 0x08, shape: [3, 2], payload: [1, 0, 1, 0, 1, 0]))
    let negative = directory.write(
      "negative.idx", idxBytes(type: 0x09, shape: [3, 1], payload: [1, 0xFF, 2]))
    let fractional = directory.write(
      "fractional.idx",
      idxBytes(
        type: 0x0D, shape: [3], payload: [0, 0, 0, 0, 0x3F, 0xC0, 0, 0, 0x3F, 0x80, 0, 0]))
    let empty = directory.write("empty.idx", idxBytes(type: 0x08, shape: [0, 2], payload: []))
    let noLabels = directory.write("none.idx", idxBytes(type: 0x08, shape: [0], payload: []))
    func loadError(_ images: String, _ labels: String) -> DataFileError? {
      caughtError { () throws(DataFileError) in
        _ = try IDXLoader.load(images: images, labels: labels)
      }
    }
    let mismatch = loadError(images, two)
    #expect(mismatch == .countMismatch(images: images, imageCount: 3, labels: two, labelCount: 2))
    #expect(mismatch?.description == "\(images) holds 3 images but \(two) holds 2 labels")
    #expect(
      loadError(images, square)
        == .idxBadDimensions(
          file: square, shape: [3, 2],
          reason: "labels need one dimension (or a second one of size 1)"))
    #expect(loadError(images, negative) == .idxInvalidLabel(file: negative, index: 1, value: -1))
    #expect(
      loadError(images, fractional) == .idxInvalidLabel(file: fractional, index: 1, value: 1.5))
    #expect(loadError(empty, noLabels) == .empty(file: empty))
    let missing = directory.path + "/missing.idx"
    #expect(
      loadError(images, missing) == .cannotOpen(path: missing, reason: "No such file or directory"))
  }
}
