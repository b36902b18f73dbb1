/// A classification data set: one row of features and one class index per sample.
///
/// The features are stored row-major, `features[i * featureCount + j]` being feature j of
/// sample i. Labels are class indices 0, 1, …, `classCount` − 1. Subsets and splits keep the
/// parent's `classCount`, so one-hot targets built from any part have the same width.
public struct LabeledDataSet: Sendable, Equatable {
  /// The features, `sampleCount` × `featureCount` values in row-major order.
  public var features: [Double]
  /// The number of features of each sample (the row length of ``features``).
  public var featureCount: Int
  /// The class index of each sample (every label is at least 0 and below ``classCount``).
  public var labels: [Int]
  /// The number of classes: the largest label + 1 unless a larger value was given at creation.
  public var classCount: Int

  /// The number of samples (the number of labels).
  public var sampleCount: Int { labels.count }

  /// Creates a data set, checking that the sizes agree.
  ///
  /// - Parameters:
  ///   - features: `labels.count` × `featureCount` values in row-major order.
  ///   - featureCount: the number of features of each sample (at least 0).
  ///   - labels: the class indices (each at least 0).
  ///   - classCount: the number of classes; `nil` means the largest label + 1 (0 without
  ///     samples). A given value must exceed every label.
  public init(features: [Double], featureCount: Int, labels: [Int], classCount: Int? = nil) {
    precondition(featureCount >= 0, "featureCount must be at least 0, got \(featureCount)")
    precondition(
      features.count == labels.count * featureCount,
      "features hold \(features.count) values, expected \(labels.count) samples × \(featureCount) features"
    )
    let largest = labels.max() ?? -1
    precondition(labels.allSatisfy { $0 >= 0 }, "labels must be at least 0, found \(labels.min()!)")
    let count = classCount ?? (largest + 1)
    precondition(
      count > largest, "classCount \(count) does not exceed the largest label \(largest)")
    self.features = features
    self.featureCount = featureCount
    self.labels = labels
    self.classCount = count
  }

  /// The features of sample `index` (a row of ``features``).
  public func featureRow(_ index: Int) -> ArraySlice<Double> {
    precondition(index >= 0 && index < sampleCount, "sample \(index) is out of 0..<\(sampleCount)")
    return features[(index * featureCount)..<((index + 1) * featureCount)]
  }

  /// The number of samples of each class, indexed by class.
  public var classSampleCounts: [Int] {
    var counts = [Int](repeating: 0, count: classCount)
    for label in labels { counts[label] += 1 }
    return counts
  }

  /// One-hot targets: `sampleCount` × `classes` values in row-major order, row i holding 1 at
  /// column `labels[i]` and 0 elsewhere.
  ///
  /// - Parameter classCount: the number of columns; `nil` means ``classCount``. It must exceed
  ///   every label.
  public func oneHotTargets(classCount: Int? = nil) -> [Double] {
    let classes = classCount ?? self.classCount
    let largest = labels.max() ?? -1
    precondition(classes > largest, "\(classes) classes do not cover the label \(largest)")
    var targets = [Double](repeating: 0, count: sampleCount * classes)
    for (i, label) in labels.enumerated() { targets[i * classes + label] = 1 }
    return targets
  }

  /// The samples at `indices`, in the order given (repetitions allowed), with the same
  /// ``classCount``.
  public func subset(_ indices: [Int]) -> LabeledDataSet {
    var rows = [Double]()
    rows.reserveCapacity(indices.count * featureCount)
    var subsetLabels = [Int]()
    subsetLabels.reserveCapacity(indices.count)
    for index in indices {
      precondition(
        index >= 0 && index < sampleCount, "sample \(index) is out of 0..<\(sampleCount)")
      rows.append(contentsOf: features[(index * featureCount)..<((index + 1) * featureCount)])
      subsetLabels.append(labels[index])
    }
    return LabeledDataSet(
      features: rows, featureCount: featureCount, labels: subsetLabels, classCount: classCount)
  }

  /// A deterministic split stratified by class.
  ///
  /// For each class c = 0, 1, …, ``classCount`` − 1 in turn, the indices of its samples (in
  /// their original order) are shuffled by one ``SplitMix64`` seeded with `seed` and shared
  /// across classes, by Fisher-Yates from the last position down: for i = m − 1, …, 1 the entry
  /// at i swaps with the one at j = ⌊(i + 1)·next() / 2⁶⁴⌋ (the high word of the full product).
  /// The first round(testFraction·m) shuffled indices of the class (rounding half away from
  /// zero) go to the test part. Both parts keep the samples' original order and the parent's
  /// ``classCount``.
  ///
  /// - Parameters:
  ///   - testFraction: the fraction of each class that goes to the test part, in [0, 1].
  ///   - seed: the seed of the shuffle; the same seed gives the same split.
  public func split(testFraction: Double, seed: UInt64) -> (
    train: LabeledDataSet, test: LabeledDataSet
  ) {
    precondition(
      testFraction >= 0 && testFraction <= 1, "testFraction must be in [0, 1], got \(testFraction)")
    var byClass = [[Int]](repeating: [], count: classCount)
    for (i, label) in labels.enumerated() { byClass[label].append(i) }
    var inTest = [Bool](repeating: false, count: sampleCount)
    var rng = SplitMix64(seed: seed)
    for var members in byClass {
      var i = members.count - 1
      while i > 0 {
        let j = Int(UInt64(i + 1).multipliedFullWidth(by: rng.next()).high)
        members.swapAt(i, j)
        i -= 1
      }
      let testCount = Int((testFraction * Double(members.count)).rounded())
      for index in members.prefix(testCount) { inTest[index] = true }
    }
    let test = (0..<sampleCount).filter { inTest[$0] }
    let train = (0..<sampleCount).filter { !inTest[$0] }
    return (subset(train), subset(test))
  }

  /// The same data set with every feature multiplied by `factor` (e.g. 1/16 for pixel counts
  /// 0…16).
  public func scaledFeatures(by factor: Double) -> LabeledDataSet {
    var scaled = self
    for i in scaled.features.indices { scaled.features[i] *= factor }
    return scaled
  }
}
