import Curvature

/// MGH problem 6, Jennrich and Sampson: n = 2, m = 10, rᵢ = 2 + 2i − (e^{ix₁} + e^{ix₂});
/// x₀ = (0.3, 0.4); f* = 124.362 at x₁ = x₂ = 0.2578 (MGH; digits refined by a converged
/// extended-precision solve).
struct MGHJennrichSampson: MGHDefinition {
  let name = "jennrich_sampson"
  let number = 6
  let title = "Jennrich and Sampson"
  let dimension = 2
  let residualCount = 10
  let startingPoint: [Double] = [0.3, 0.4]
  let optimalValue: Double? = 124.362182355615
  let minimizer: [Double]? = [0.2578252136703641, 0.2578252136703641]
  let localMinima: [Double] = []

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<10 {
      let i = Double(k + 1)
      r[k] = 2 + 2 * i - (T.exp(i * x[0]) + T.exp(i * x[1]))
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<10 {
      let i = Double(k + 1)
      jac[k, 0] = -i * T.exp(i * x[0])
      jac[k, 1] = -i * T.exp(i * x[1])
    }
  }
}
