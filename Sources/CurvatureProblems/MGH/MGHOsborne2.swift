import Curvature

/// MGH problem 19, Osborne 2: n = 11, m = 65,
/// rᵢ = yᵢ − (x₁e^{−tᵢx₅} + x₂e^{−(tᵢ−x₉)²x₆} + x₃e^{−(tᵢ−x₁₀)²x₇} + x₄e^{−(tᵢ−x₁₁)²x₈}) with
/// tᵢ = (i − 1)/10 and the data y below; x₀ = (1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5);
/// f* = 4.01377·10⁻² (MGH; digits and minimizer from a converged solve).
struct MGHOsborne2: MGHDefinition {
  let name = "osborne2"
  let number = 19
  let title = "Osborne 2"
  let dimension = 11
  let residualCount = 65
  let startingPoint: [Double] = [1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5]
  let optimalValue: Double? = 4.01377362935478e-2
  let minimizer: [Double]? = [
    1.3099771546273007, 0.431553794602989, 0.633661698960724, 0.5994305347859162,
    0.7541832263280114, 0.9042885798596336, 1.3658118352370279, 4.823698817227157,
    2.3986848661317546, 4.568874597667672, 5.6753414705806415,
  ]
  let localMinima: [Double] = []

  static let y: [Double] = [
    1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679, 0.608,
    0.655, 0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644, 0.624, 0.661,
    0.612, 0.558, 0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428,
    0.429, 0.523, 0.562, 0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591, 0.559,
    0.597, 0.625, 0.739, 0.710, 0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098, 0.054,
  ]

  func residuals<T: ScalarMath>(at x: [T], into r: inout [T]) {
    for k in 0..<65 {
      let t = Double(k) / 10
      var model = x[0] * T.exp(-t * x[4])
      for b in 1...3 {
        let d = t - x[b + 7]
        model += x[b] * T.exp(-(d * d) * x[b + 4])
      }
      r[k] = Self.y[k] - model
    }
  }

  func jacobian<T: ScalarMath>(at x: [T], into jac: inout ResidualJacobian<T>) {
    for k in 0..<65 {
      let t = Double(k) / 10
      let e = T.exp(-t * x[4])
      jac[k, 0] = -e
      jac[k, 4] = t * x[0] * e
      for b in 1...3 {
        let d = t - x[b + 7]
        let g = T.exp(-(d * d) * x[b + 4])
        jac[k, b] = -g
        jac[k, b + 4] = x[b] * d * d * g
        jac[k, b + 7] = -2 * x[b] * x[b + 4] * d * g
      }
    }
  }
}
