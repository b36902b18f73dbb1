/// The Kronecker factors of one dense layer's Fisher block, F ≈ A ⊗ G (Martens & Grosse 2015,
/// section 3), with their damped inverses.
///
/// A = E[āāᵀ] over the layer's inputs ā = (a, 1) (the homogeneous coordinate carries the bias,
/// section A.2), G = E[ggᵀ] over the per-sample gradients g of its outputs. For a weight
/// gradient matrix W̄ = [∇W ∇b] (outputs × (inputs + 1)), the preconditioned direction is
/// (G + γ/π·I)⁻¹ W̄ (A + πγ·I)⁻¹: factored Tikhonov damping with π² = (tr A/dim A)/(tr G/dim G)
/// (section 6.3), which keeps the two factors' damping in proportion to their scales.
public struct KroneckerFactors: Sendable, Codable, Equatable {
  /// The layer's index among the network's dense layers.
  public var layer: Int
  /// A, (inputs + 1)² with a bias, inputs² without.
  public var inputFactor: Matrix
  /// G, outputs².
  public var outputFactor: Matrix
  /// (A + πγI)⁻¹ at the last refresh (empty before the first).
  public var inputInverse: Matrix
  /// (G + γ/π·I)⁻¹ at the last refresh.
  public var outputInverse: Matrix
  /// The weight block.
  public var weight: ParameterBlock
  /// The bias block, when the layer has one.
  public var bias: ParameterBlock?

  /// Â = ĀᵀĀ/B and Ĝ = gᵀg/B of one batch.
  static func estimates(_ s: LayerStatistics) -> (a: Matrix, g: Matrix) {
    let b = Double(Swift.max(s.inputs.rows, 1))
    let nIn = s.inputs.columns
    var aa = Matrix(rows: nIn, columns: nIn)
    Matrix.symmetricRankKUpdate(alpha: 1 / b, a: s.inputs, beta: 0, c: &aa)
    var a = aa
    if s.bias != nil {
      // Ā = [A 1]: append the column means as the last row and column, and 1 in the corner.
      a = Matrix(rows: nIn + 1, columns: nIn + 1)
      var means = [Double](repeating: 0, count: nIn)
      for i in 0..<s.inputs.rows {
        for j in 0..<nIn { means[j] += s.inputs.storage[i * nIn + j] }
      }
      for i in 0..<nIn {
        for j in 0..<nIn { a[i, j] = aa[i, j] }
        a[i, nIn] = means[i] / b
        a[nIn, i] = means[i] / b
      }
      a[nIn, nIn] = 1
    }
    let nOut = s.outputGradients.columns
    var g = Matrix(rows: nOut, columns: nOut)
    Matrix.symmetricRankKUpdate(alpha: 1 / b, a: s.outputGradients, beta: 0, c: &g)
    return (a, g)
  }

  /// Moves the factors toward this batch's estimates: X ← ρX + (1 − ρ)X̂.
  mutating func average(_ s: LayerStatistics, decay rho: Double) {
    let (a, g) = Self.estimates(s)
    if inputFactor.rows == 0 {
      inputFactor = a
      outputFactor = g
      return
    }
    for k in 0..<a.storage.count {
      inputFactor.storage[k] = rho * inputFactor.storage[k] + (1 - rho) * a.storage[k]
    }
    for k in 0..<g.storage.count {
      outputFactor.storage[k] = rho * outputFactor.storage[k] + (1 - rho) * g.storage[k]
    }
  }

  /// Recomputes the damped inverses for damping γ² = `damping`. Returns false when a damped
  /// factor is not positive definite (non-finite statistics).
  mutating func refreshInverses(damping: Double) -> Bool {
    let gamma = damping.squareRoot()
    let traceA = (0..<inputFactor.rows).reduce(0.0) { $0 + inputFactor[$1, $1] }
    let traceG = (0..<outputFactor.rows).reduce(0.0) { $0 + outputFactor[$1, $1] }
    var pi = 1.0
    let meanA = traceA / Double(Swift.max(inputFactor.rows, 1))
    let meanG = traceG / Double(Swift.max(outputFactor.rows, 1))
    if meanA > 0 && meanG > 0 && meanA.isFinite && meanG.isFinite {
      pi = (meanA / meanG).squareRoot()
    }
    guard let ca = CholeskyFactorization(of: inputFactor.addingToDiagonal(pi * gamma)),
      let cg = CholeskyFactorization(of: outputFactor.addingToDiagonal(gamma / pi))
    else { return false }
    inputInverse = ca.inverse
    outputInverse = cg.inverse
    return true
  }

  /// Writes −(G + γ/π·I)⁻¹ W̄ (A + πγI)⁻¹ into the layer's blocks of `direction`, reading W̄ from
  /// the same blocks of `gradient`.
  func precondition(_ gradient: Vector, into direction: inout Vector) {
    let (nOut, nIn) = weight.matrixShape
    let width = bias == nil ? nIn : nIn + 1
    var w = Matrix(rows: nOut, columns: width)
    for i in 0..<nOut {
      for j in 0..<nIn { w.storage[i * width + j] = gradient[weight.offset + i * nIn + j] }
      if let b = bias { w.storage[i * width + nIn] = gradient[b.offset + i] }
    }
    var left = Matrix(rows: nOut, columns: width)
    left.addProduct(outputInverse, w)
    var result = Matrix(rows: nOut, columns: width)
    result.addProduct(alpha: -1, left, inputInverse)
    for i in 0..<nOut {
      for j in 0..<nIn { direction[weight.offset + i * nIn + j] = result.storage[i * width + j] }
      if let b = bias { direction[b.offset + i] = result.storage[i * width + nIn] }
    }
  }
}
