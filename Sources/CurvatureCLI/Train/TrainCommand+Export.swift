import Curvature
import Foundation

/// The problem file of scripts/train_peers.py: the network, the data, the mini-batches of the
/// first steps and the initial parameters, so that kfac-jax and optax train exactly what
/// `curvature train` trains.
struct PeerProblem: Codable {
  struct DataPart: Codable {
    var inputs: [[Double]]
    var targets: [[Double]]
    var labels: [Int]?
  }
  var name: String
  var widths: [Int]
  var activations: [String]
  var loss: String
  var l2: Double
  var batchSize: Int
  var steps: Int
  var train: DataPart
  var test: DataPart
  /// The batches one after another (the schedule of `train`), flattened.
  var order: [Int]
  /// The batches themselves, for batches of unequal size at the end of an epoch.
  var batches: [[Int]]
  var weights: [[[Double]]]
  var biases: [[Double]]

  enum CodingKeys: String, CodingKey {
    case name, widths, activations, loss, l2, steps, train, test, order, batches, weights, biases
    case batchSize = "batch_size"
  }
}

extension TrainCommand {
  /// The number of steps the peer problem file describes.
  static let peerSteps = 200

  func exportPeerProblem(_ setup: TrainingSetup, budget: Double, to path: String) throws {
    guard let f = setup.objective as? NetworkObjective, let held = setup.heldOut else {
      throw CommandEnvironment.current.fail("\(setup.name) has no network to export")
    }
    let net = f.network
    let batch = setup.optimizers["kfac"]?.batchSize ?? 256
    var schedule = MiniBatchSchedule(sampleCount: f.sampleCount, size: batch, seed: seed)
    let batches = (0..<Self.peerSteps).map { _ in schedule.next() }
    func rows(_ m: Matrix) -> [[Double]] {
      (0..<m.rows).map { Array(m.storage[($0 * m.columns)..<(($0 + 1) * m.columns)]) }
    }
    let lossName: String
    switch f.loss {
    case .softmaxCrossEntropy: lossName = "softmaxCrossEntropy"
    case .logistic: lossName = "sigmoidCrossEntropy"
    case .squaredError: lossName = "squaredError"
    }
    var weights: [[[Double]]] = []
    var biases: [[Double]] = []
    for layer in net.denseLayers {
      weights.append(setup.start.withMatrixView(of: layer.weight) { rows($0.matrix()) })
      biases.append(layer.bias.map { setup.start.elements(of: $0).storage } ?? [])
    }
    let problem = PeerProblem(
      name: setup.name, widths: [net.inputWidth] + net.denseLayers.map(\.outputs),
      activations: net.denseLayers.map(\.activation.rawValue), loss: lossName,
      l2: f.regularization, batchSize: batch, steps: Self.peerSteps,
      train: .init(inputs: rows(f.inputs), targets: rows(f.targets), labels: nil),
      test: .init(inputs: rows(held.inputs), targets: rows(held.targets), labels: held.labels),
      order: batches.flatMap { $0 }, batches: batches, weights: weights, biases: biases)
    do {
      try JSONEncoder().encode(problem).write(to: URL(fileURLWithPath: path))
    } catch {
      throw CommandEnvironment.current.fail("cannot write \(path): \(error.localizedDescription)")
    }
  }
}
