import Curvature
import CurvatureProblems
import Foundation
import Testing

/// The K-FAC example of README.md, verbatim apart from the file it reads (the digits written
/// out as CSV) and the assertions: if this stops compiling, the README is wrong.
@Suite struct ReadmeKFACExampleTests {
  @Test func trainANetworkOnYourDataWithKFAC() throws {
    let digits = Digits.load()
    var text = ""
    for i in 0..<digits.sampleCount {
      text += digits.featureRow(i).map { String(Int($0)) }.joined(separator: ",")
      text += ",\(digits.labels[i])\n"
    }
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("curvature-readme-\(getpid()).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }

    let data = try CSVLoader.load(path: path)  // numeric features, label last
    let (trainSet, testSet) = data.scaledFeatures(by: 1.0 / 16).split(testFraction: 0.25, seed: 0)
    let network = Network(
      inputWidth: data.featureCount, layers: [.dense(128), .tanh, .dense(data.classCount)])
    let loss = NetworkObjective(network: network, classifying: trainSet, regularization: 1e-5)
    let result = train(
      KFAC(regularization: 1e-5), objective: loss, from: network.initialParameters(seed: 1),
      options: TrainingOptions(passes: 5, batchSize: 256))
    let test = NetworkObjective(network: network, classifying: testSet)

    #expect(data == digits)
    #expect(trainSet.sampleCount + testSet.sampleCount == 1797)
    #expect(abs(testSet.sampleCount - 449) <= 2)
    #expect(result.status == .passBudget)
    // From about ln 10 ≈ 2.3 to well below that in 5 passes (about 7 steps), held-out data too.
    #expect(result.loss < 0.8)
    #expect(test.value(at: result.parameters) < 0.9)
  }
}
