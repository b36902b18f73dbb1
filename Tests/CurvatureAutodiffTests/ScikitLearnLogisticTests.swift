import Curvature
import CurvatureAutodiff
import Foundation
import Testing

// scikit-learn's LogisticRegression (L2 on the weights, unpenalized intercept) expressed as a
// ModelObjective: it minimizes C Σᵢ logloss + ½‖W‖², which is m·C times our averaged
// (1/m) Σᵢ logloss + (λ/2)‖W‖² with λ = 1/(C·m) and the intercept excluded from the penalty
// (`intercept: true`, `RegularizationMask.excludingBiases`). The reference fits come from
// scripts/logistic_sklearn_reference.py (scikit-learn 1.9.1, lbfgs with tol = 1e-14, which
// agreed with a float64 Newton refinement to 2e-9).

private enum ScikitLearnData {
  static let features: [[Double]] = [
    [2.04, -2.56, 0.42], [-0.57, -0.45, -0.22], [-2.02, -0.23, -0.87], [3.32, 0.23, -0.35],
    [-0.28, -0.67, -1.06], [-0.39, 0.48, -0.24], [0.96, -0.2, 0.02], [1.55, 0.55, -0.51],
    [-0.18, 0.54, 1.94], [-0.27, -0.24, 1.0], [-0.89, -0.29, 0.88], [0.58, 0.09, 0.67],
    [-2.83, 1.02, -0.96], [-1.67, 0.28, 0.7], [-0.44, -1.08, 0.03], [-0.05, 1.41, 0.75],
    [0.19, 1.11, -0.21], [-0.93, 0.58, 0.58], [-0.21, -0.78, 0.23], [-2.49, 0.69, 0.49],
    [-1.64, 0.06, -0.96], [0.76, -2.03, -0.91], [0.71, 1.16, -2.16], [-0.5, 0.33, -0.61],
  ]
  static let binaryLabels = [
    1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 0, 1, 0, 0,
  ]
  static let classLabels = [0, 2, 1, 0, 2, 0, 0, 0, 1, 1, 0, 0, 2, 1, 0, 1, 1, 1, 0, 1, 1, 0, 2, 2]
  static let inverseRegularization = 0.5  // scikit-learn's C

  static var matrix: Matrix { Matrix(features) }
  static var lambda: Double { 1 / (inverseRegularization * Double(features.count)) }

  // LogisticRegression(C=0.5).fit(X, y): coef_ and intercept_.
  static let binaryWeights = [0.7416323154730349, -0.9166560538175617, 0.6435551162472966]
  static let binaryIntercept = 0.2399086121416434
  static let classWeights: [[Double]] = [
    [0.6908084760966337, -0.5983116379231086, 0.2537414637260908],
    [-0.4818352743757911, 0.49074947006845354, 0.5577860025513324],
    [-0.20897320172084247, 0.107562167854655, -0.8115274662774236],
  ]
  static let classIntercepts = [0.49541442232122973, 0.027480330119575597, -0.5228947524408055]
}

@Suite("scikit-learn's LogisticRegression as a ModelObjective")
struct ScikitLearnLogisticTests {
  static func solve<M: TrainingModel>(_ f: ModelObjective<M>) -> Solution {
    var options = MinimizeOptions()
    options.gradientTolerance = 1e-12
    return minimize(f, from: .zeros(f.dimension), using: .newtonCG(), options: options)
  }

  static func sigmoid(_ z: Double) -> Double { 1 / (1 + Foundation.exp(-z)) }

  /// Binary: the optimum is scikit-learn's, the intercept's gradient vanishes there, and, the
  /// intercept being unpenalized, the mean predicted probability equals the mean label,
  /// (1/m) Σᵢ σ(zᵢ) = (1/m) Σᵢ tᵢ; penalizing the intercept breaks that identity by λc.
  @Test func binaryOptimumMatchesScikitLearn() throws {
    let d = ScikitLearnData.self
    let labels = Vector(d.binaryLabels.map { $0 == 1 ? 1.0 : -1.0 })
    let f = ModelObjective.logisticRegression(
      features: d.matrix, labels: labels, regularization: d.lambda, intercept: true)
    #expect(f.dimension == 4)
    #expect(f.regularizationWeights == [1, 1, 1, 0])
    let s = Self.solve(f)
    #expect(s.gradientNorm <= 1e-12)
    let theta = s.x
    for j in 0..<3 { #expect(Swift.abs(theta[j] - d.binaryWeights[j]) <= 1e-8, "w[\(j)]") }
    #expect(Swift.abs(theta[3] - d.binaryIntercept) <= 1e-8)
    var g = Vector.zeros(4)
    _ = f.value(at: theta, gradient: &g)
    #expect(Swift.abs(g[3]) <= 1e-12)
    let z = f.model.outputs(DVector(theta), inputs: f.inputs).storage
    let meanProbability = z.map(Self.sigmoid).reduce(0, +) / Double(z.count)
    let meanLabel = Double(d.binaryLabels.reduce(0, +)) / Double(z.count)
    #expect(Swift.abs(meanProbability - meanLabel) <= 1e-12)

    // With the intercept penalized, (1/m) Σ (σ(zᵢ) − tᵢ) = −λc instead of 0.
    let penalized = ModelObjective.logisticRegression(
      features: d.matrix, labels: labels, regularization: d.lambda, intercept: true,
      penalizingIntercept: true)
    let sp = Self.solve(penalized)
    let zp = penalized.model.outputs(DVector(sp.x), inputs: penalized.inputs).storage
    let gap = zp.map(Self.sigmoid).reduce(0, +) / Double(zp.count) - meanLabel
    #expect(Swift.abs(gap + d.lambda * sp.x[3]) <= 1e-12)
    #expect(Swift.abs(gap) >= 1e-3)
  }

  /// Multinomial: W is scikit-learn's; the intercepts are defined up to a common shift (the
  /// softmax ignores it and nothing penalizes them), Newton-CG from 0 keeps Σⱼ bⱼ = 0, and so
  /// does scikit-learn. The zero intercept gradient says that the mean predicted probability of
  /// each class is its frequency.
  @Test func multinomialOptimumMatchesScikitLearn() {
    let d = ScikitLearnData.self
    let f = ModelObjective.multinomialLogisticRegression(
      features: d.matrix, labels: d.classLabels, classes: 3, regularization: d.lambda,
      intercept: true)
    #expect(f.dimension == 12)
    let s = Self.solve(f)
    #expect(s.gradientNorm <= 1e-12)
    let theta = s.x
    for c in 0..<3 {
      for j in 0..<3 {
        #expect(Swift.abs(theta[c * 3 + j] - d.classWeights[c][j]) <= 1e-8, "W[\(c), \(j)]")
      }
    }
    let b = Array(theta.storage[9..<12])
    let shift = b.reduce(0, +) / 3
    #expect(Swift.abs(shift) <= 1e-10)
    for c in 0..<3 { #expect(Swift.abs(b[c] - shift - d.classIntercepts[c]) <= 1e-8, "b[\(c)]") }
    let z = f.model.outputs(DVector(theta), inputs: f.inputs).storage
    let m = d.classLabels.count
    var meanProbability = [0.0, 0.0, 0.0]
    for i in 0..<m {
      let row = z[(3 * i)..<(3 * i + 3)]
      let top = row.max()!
      let e = row.map { Foundation.exp($0 - top) }
      let total = e.reduce(0, +)
      for c in 0..<3 { meanProbability[c] += e[c] / total / Double(m) }
    }
    for c in 0..<3 {
      let frequency = Double(d.classLabels.filter { $0 == c }.count) / Double(m)
      #expect(Swift.abs(meanProbability[c] - frequency) <= 1e-12, "class \(c)")
    }
  }
}
