import Curvature
import CurvatureProblems
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

@Suite struct DigitsTests {
  let digits = Digits.load()

  @Test func hasTheKnownSizesAndClassCounts() {
    #expect(digits.sampleCount == 1797 && Digits.sampleCount == 1797)
    #expect(digits.featureCount == 64 && Digits.featureCount == 64)
    #expect(digits.features.count == 1797 * 64)
    #expect(digits.classCount == 10)
    #expect(digits.classSampleCounts == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180])
  }

  @Test func valuesArePixelCountsAndTheFirstSampleIsAZero() {
    #expect(digits.features.allSatisfy { $0 >= 0 && $0 <= 16 && $0.rounded() == $0 })
    #expect(digits.features.min() == 0 && digits.features.max() == 16)
    #expect(digits.labels.prefix(10) == [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    #expect(digits.featureRow(0).prefix(8) == [0, 0, 5, 13, 9, 1, 0, 0])
    #expect(digits.featureRow(1796).suffix(8) == [0, 1, 8, 12, 14, 12, 1, 0])
    #expect(digits.labels.last == 8)
  }

  @Test func attributionCreditsTheSourceAndLicence() {
    for part in ["Alpaydin", "Kaynak", "UCI", "10.24432/C50P49", "CC BY 4.0", "digits.csv.gz"] {
      #expect(Digits.attribution.contains(part), "the attribution lacks \(part)")
    }
  }

  @Test func defaultSplitIsStratified() {
    let (train, test) = Digits.trainTestSplit()
    #expect(test.sampleCount == 451 && train.sampleCount == 1346)
    #expect(test.classSampleCounts == [45, 46, 44, 46, 45, 46, 45, 45, 44, 45])
    #expect(train.classCount == 10 && test.classCount == 10)
    #expect(train.featureCount == 64 && test.featureCount == 64)
  }

  @Test(arguments: [(0.25, UInt64(0)), (0.1, 3), (0.5, 12_345)])
  func splitIsDisjointCoveringOrderedAndDeterministic(testFraction: Double, seed: UInt64) {
    // The same labels with each sample's index as its only feature.
    let indexed = LabeledDataSet(
      features: (0..<1797).map(Double.init), featureCount: 1, labels: digits.labels)
    let (trainIndexed, testIndexed) = indexed.split(testFraction: testFraction, seed: seed)
    let trainIndices = trainIndexed.features.map { Int($0) }
    let testIndices = testIndexed.features.map { Int($0) }
    #expect(Set(trainIndices).isDisjoint(with: testIndices))
    #expect((trainIndices + testIndices).sorted() == Array(0..<1797))
    #expect(trainIndices == trainIndices.sorted() && testIndices == testIndices.sorted())

    let (train, test) = Digits.trainTestSplit(testFraction: testFraction, seed: seed)
    #expect(train == digits.subset(trainIndices) && test == digits.subset(testIndices))
    let expected = digits.classSampleCounts.map { Int((testFraction * Double($0)).rounded()) }
    #expect(test.classSampleCounts == expected)
    let again = Digits.trainTestSplit(testFraction: testFraction, seed: seed)
    #expect(again.train == train && again.test == test)
    let other = Digits.trainTestSplit(testFraction: testFraction, seed: seed + 1)
    #expect(other.test != test)
  }

  @Test func roundTripsThroughTheCSVLoader() throws {
    var text = (0..<64).map { "pixel\($0)" }.joined(separator: ",") + ",digit\n"
    for i in 0..<digits.sampleCount {
      let row = digits.featureRow(i).map { String(Int($0)) }.joined(separator: ",")
      text += row + ",\(digits.labels[i])\r\n"
    }
    var template = Array("/tmp/curvature-digits-XXXXXX".utf8CString)
    let made = template.withUnsafeMutableBufferPointer { buffer in
      mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
    }
    let directory = try #require(made)
    let path = directory + "/digits.csv"
    defer {
      unlink(path)
      rmdir(directory)
    }
    let handle = try #require(fopen(path, "wb"))
    let bytes = Array(text.utf8)
    let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, bytes.count, handle) }
    fclose(handle)
    try #require(written == bytes.count)

    let reloaded = try CSVLoader.load(path: path)
    #expect(reloaded == digits)
  }
}
