/// Curvature: numerical optimization with second-order methods.
///
/// The module is organised in layers: `LinearAlgebra` (vectors, matrices, factorizations, Krylov
/// solvers), `Objectives` (what a problem offers and the derivative sources), `LineSearches`,
/// `Transforms` (composable gradient transformations) and `Solvers` (`minimize` and friends).
public enum CurvatureVersion {
  /// The library version.
  public static let string = "0.1.0"
}
