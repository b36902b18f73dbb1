extension NetworkObjective {
  /// The classification loss of `network` on a labelled data set: its features as inputs and
  /// one-hot targets over the set's classes.
  ///
  /// - Precondition: the network takes the set's features and has one output per class.
  public init(
    network: Network, classifying data: LabeledDataSet,
    loss: OutputLoss = .softmaxCrossEntropy, regularization: Double = 0
  ) {
    self.init(
      network: network, inputs: data.featureMatrix,
      targets: Matrix(
        rows: data.sampleCount, columns: data.classCount, storage: data.oneHotTargets()),
      loss: loss, regularization: regularization)
  }

  /// The reconstruction loss of an autoencoder `network` on a data set's features (the targets
  /// are the inputs); with ``OutputLoss/logistic`` the features should lie in [0, 1].
  public init(
    network: Network, reconstructing data: LabeledDataSet, loss: OutputLoss = .logistic,
    regularization: Double = 0
  ) {
    let x = data.featureMatrix
    self.init(
      network: network, inputs: x, targets: x, loss: loss, regularization: regularization)
  }
}

extension LabeledDataSet {
  /// The features as a sampleCount × featureCount matrix (a copy).
  public var featureMatrix: Matrix {
    Matrix(rows: sampleCount, columns: featureCount, storage: features)
  }
}
